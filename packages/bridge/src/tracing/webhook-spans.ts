import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

/**
 * One server span per webhook request, active while it is handled: the Temporal client interceptor makes the
 * workflow start its child, so a trace runs from the webhook through the workflow to HubSpot's publish.
 */
export function traceWebhooks(tracer: Tracer): RequestHandler {
  return function traceWebhook(req, res, next) {
    const source = /^\/webhooks\/([a-z0-9-]+)/i.exec(req.path)?.[1];
    if (!source) return next();
    tracer.startActiveSpan(
      `webhook ${source}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.path, 'bridge.source': source },
      },
      (span) => {
        res.on('finish', () => {
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        });
        next();
      },
    );
  };
}
