import type { Request } from 'express';
import { Histogram, type Registry } from 'prom-client';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * `http_server_request_duration_seconds{method,route,status_code}`: OpenTelemetry's `http.server.request.duration`
 * under Prometheus's naming. Buckets span a fast 2xx (a few ms) to a start that waited on a slow Temporal (seconds).
 */
export function createHttpServerHistogram(registry: Registry) {
  return new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/**
 * The Express route pattern that answered (`/webhooks/:provider/:accountId`), never the path, whose ids would make a
 * series per account or message. A request no route took (a 404, a refusal by middleware before the routers, such as a
 * connection still pending) is `unmatched`. Every router is mounted at the root, so the pattern is the whole route;
 * `baseUrl` is kept for one that is not.
 */
export function routeLabel(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern !== 'string') return 'unmatched';
  return `${req.baseUrl ?? ''}${pattern}`;
}

/** The method, or `other` for a made-up one (which would otherwise be a label value anyone could mint). */
export function methodLabel(req: Request): string {
  return METHODS.has(req.method) ? req.method : 'other';
}
