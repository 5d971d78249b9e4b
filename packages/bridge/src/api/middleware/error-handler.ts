import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../../logger.js';
import { noteRefusal } from '../../metrics/refusal-reason.js';
import { HttpError } from '../http-error.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  encoding?: string;
  limit?: number;
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const parserError = error as BodyParserError;
  if (parserError.type === 'entity.too.large')
    return new HttpError(
      413,
      `request body is larger than the limit${parserError.limit ? ` of ${parserError.limit} bytes` : ''}`,
    );
  if (parserError.type === 'request.aborted') return new HttpError(400, 'request was aborted by the client');
  if (parserError.type === 'encoding.unsupported') {
    const named = parserError.encoding ? `content-encoding "${parserError.encoding}"` : 'a content-encoding';
    return new HttpError(
      415,
      `${named} is not accepted: send the body uncompressed (the bridge never inflates a request body)`,
    );
  }
  if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return new HttpError(parserError.status, parserError.message);
  }
  return new HttpError(500, 'internal error', { cause: error });
}

/** Every error becomes one JSON shape and one log line; 5xx hide their cause from the caller. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function handleError(error, req, res, _next) {
    const httpError = toHttpError(error);
    const line = { method: req.method, path: req.path, status: httpError.status, reason: httpError.reason };
    // A 503 that sheds load (it carries Retry-After) is the api working as meant, not a failure: no stack per request.
    if (httpError.status >= 500 && httpError.retryAfterSeconds === undefined)
      logger.error({ ...line, err: httpError.cause ?? error }, 'request failed');
    else logger.warn(line, 'request rejected');
    // A refusal before the body was read (a wrong token, a 413): hang up after answering, rather than
    // let Node read and discard whatever the sender still streams.
    if (!req.complete) res.set('connection', 'close');
    noteRefusal(res, httpError);
    if (httpError.retryAfterSeconds !== undefined) res.set('retry-after', String(httpError.retryAfterSeconds));
    res.status(httpError.status).json({ error: httpError.reason });
  };
}
