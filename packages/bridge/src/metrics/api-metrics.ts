import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { directionClause } from '../domain/message-visibility.js';
import { providerKinds } from '../providers/registry.js';
import { registerBuildInfo } from './build-info.js';
import { createHttpServerHistogram, methodLabel, routeLabel } from './http-metrics.js';
import { refusalReasonOf } from './refusal-reason.js';

/** Well under Prometheus's default 10 s scrape timeout. */
const HELD_COUNT_DEADLINE_MS = 2_000;

// Sources a webhook path can name; anything else is counted as `unknown`, so a scanner cannot mint label values.
const WEBHOOK_SOURCES = new Set<string>([...providerKinds(), 'hubspot']);

/**
 * The api's metrics: Node's standard `process_*` and `nodejs_*`, an HTTP server histogram, webhook rejects by source
 * and reason, held messages (a visibility count at scrape time, so every api process reports the same cluster-wide
 * number; alert on max, not sum), and build info. Every series carries `service="api"` (docs/METRICS.md).
 */
export function createApiMetrics(temporal: Client) {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'api' });
  collectDefaultMetrics({ register: registry });
  registerBuildInfo(registry);
  const http = createHttpServerHistogram(registry);
  const rejects = new Counter({
    name: 'bridge_webhook_rejects_total',
    help: 'Webhooks refused, by source and reason',
    labelNames: ['source', 'reason'] as const,
    registers: [registry],
  });
  const accepted = new Counter({
    name: 'bridge_webhooks_accepted_total',
    help: 'Webhooks accepted (2xx), by source',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const ignored = new Counter({
    name: 'bridge_webhook_items_ignored_total',
    help: 'Items of accepted webhooks the bridge deliberately carries nowhere, by provider and code (docs/PROVIDERS.md lists them)',
    labelNames: ['provider', 'code'] as const,
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'bridge_hubspot_events_dead_lettered_total',
    help: 'HubSpot webhook events acknowledged but unusable (no type, no usable ids, malformed), each logged; by event type or "unusable"',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'bridge_held_messages',
    help: 'Messages waiting for their channel account to be turned back on (BridgeStatus HELD), by direction',
    labelNames: ['direction'] as const,
    registers: [registry],
    async collect() {
      // A scrape must answer while Temporal is down (the refusal counters matter most then): each count gets a short
      // deadline, both run at once, and a failed one keeps its last value; /readyz reports the outage.
      await Promise.all(
        (['inbound', 'outbound'] as const).map(async (direction) => {
          try {
            const query = `BridgeStatus = "HELD" AND ${directionClause(direction)} AND ExecutionStatus = "Running"`;
            const { count } = await temporal.connection.withDeadline(Date.now() + HELD_COUNT_DEADLINE_MS, () =>
              temporal.workflow.count(query),
            );
            this.set({ direction }, count);
          } catch {
            // keep the last value
          }
        }),
      );
    },
  });
  return { registry, http, rejects, accepted, ignored, deadLettered };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/**
 * Times every request into the HTTP histogram, and counts every /webhooks/<source>/… answer once it is sent: 2xx as
 * accepted, 4xx and 5xx as refused with the reason the error handler noted (src/metrics/refusal-reason.ts).
 */
export function observeWebhooks(metrics: ApiMetrics): RequestHandler {
  return function observeWebhook(req, res, next) {
    const started = performance.now();
    const named = /^\/webhooks\/([a-z0-9-]+)/i.exec(req.path)?.[1];
    const source = named === undefined ? undefined : WEBHOOK_SOURCES.has(named) ? named : 'unknown';
    res.on('finish', () => {
      metrics.http.observe(
        { method: methodLabel(req), route: routeLabel(req), status_code: String(res.statusCode) },
        (performance.now() - started) / 1000,
      );
      if (!source) return;
      if (res.statusCode >= 400) metrics.rejects.inc({ source, reason: refusalReasonOf(res) });
      else if (res.statusCode < 300) metrics.accepted.inc({ source });
    });
    next();
  };
}

/** GET /metrics in Prometheus text. Open like /healthz: put the api behind a proxy that keeps it internal. */
export function metricsHandler(metrics: ApiMetrics): RequestHandler {
  return async function prometheusMetrics(_req, res) {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
