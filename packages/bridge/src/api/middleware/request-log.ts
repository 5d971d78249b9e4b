import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { withLogContext, type LogContext, type Logger } from '../../logger.js';

/**
 * A caller's `X-Request-Id` is kept when it looks like an id (a UUID, a proxy's hex or base64 id, `req-42`): at most
 * 128 characters of letters, digits and `-_.:+=/@`. Anything else (spaces, control characters, a log-injection try,
 * an essay) is replaced by a fresh UUID rather than echoed into the logs and the answer.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:+=/@-]{1,128}$/;

export function requestIdOf(given: string | undefined): string {
  return given !== undefined && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The route template that served the request (`/webhooks/:provider/:accountId`), never the URL: URLs carry account ids,
 * and query strings carry a provider handshake's verify token or an OAuth code. `(unmatched)` when no route took it.
 */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : '(unmatched)';
}

/** Probes and scrapes come every few seconds: their lines are at debug, so they do not drown the rest. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Gives every request an id (answered in `X-Request-Id`), runs the rest of the app inside its log context so every
 * line of the request carries `requestId` (and `messageKey` once a handler names one), and writes one access line when
 * the answer is sent or the caller hangs up: method, route, status, durationMs.
 */
export function requestLog(logger: Logger): RequestHandler {
  return function logRequest(req, res, next) {
    const context: LogContext = { requestId: requestIdOf(req.get('x-request-id')) };
    res.set('x-request-id', context.requestId);
    const started = process.hrtime.bigint();
    let written = false;
    const access = () => {
      if (written) return;
      written = true;
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      const line = {
        requestId: context.requestId,
        ...(context.messageKey === undefined ? {} : { messageKey: context.messageKey }),
        method: req.method,
        route: routeOf(req),
        status: res.statusCode,
        durationMs,
        // The caller went away before the whole answer was written: the status is what the api meant to answer.
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (PROBES.has(req.path) && res.statusCode < 500) logger.debug(line, 'request');
      else logger.info(line, 'request');
    };
    res.once('finish', access);
    res.once('close', access);
    withLogContext(context, next);
  };
}
