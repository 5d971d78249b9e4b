import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

// Why a webhook was turned away, from the status the api answered with (one place decides statuses: HttpError).
const REASONS: Record<number, string> = {
  400: 'malformed',
  401: 'bad-signature',
  403: 'forbidden',
  404: 'unknown-account-or-route',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'too-large',
  415: 'unsupported-content-type',
  422: 'unprocessable',
  429: 'rate-limited',
  503: 'temporal-unavailable',
};

export function rejectReason(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'server-error' : 'other');
}

/**
 * The api's metrics: webhook rejects by source and reason, and held messages (a visibility count at scrape
 * time, so every api process reports the same cluster-wide number; alert on max, not sum).
 */
export function createApiMetrics(temporal: Client) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bridge_api_' });
  const rejects = new Counter({ name: 'bridge_webhook_rejects_total', help: 'Webhooks refused, by source and reason', labelNames: ['source', 'reason'] as const, registers: [registry] });
  const accepted = new Counter({ name: 'bridge_webhooks_accepted_total', help: 'Webhooks accepted (2xx), by source', labelNames: ['source'] as const, registers: [registry] });
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
      for (const direction of ['inbound', 'outbound']) {
        try {
          const { count } = await temporal.workflow.count(`BridgeStatus = "HELD" AND BridgeDirection = "${direction}" AND ExecutionStatus = "Running"`);
          this.set({ direction }, count);
        } catch {
          // Temporal unreachable: keep the last value; /readyz reports the outage.
        }
      }
    },
  });
  return { registry, rejects, accepted, ignored, deadLettered };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** Counts every /webhooks/<source>/… answer once it is sent. */
export function observeWebhooks(metrics: ApiMetrics): RequestHandler {
  return function observeWebhook(req, res, next) {
    const source = /^\/webhooks\/([a-z0-9-]+)/i.exec(req.path)?.[1];
    if (source) {
      res.on('finish', () => {
        if (res.statusCode >= 400) metrics.rejects.inc({ source, reason: rejectReason(res.statusCode) });
        else if (res.statusCode < 300) metrics.accepted.inc({ source });
      });
    }
    next();
  };
}

/** GET /metrics in Prometheus text. Open like /healthz: put the api behind a proxy that keeps it internal. */
export function metricsHandler(metrics: ApiMetrics): RequestHandler {
  return async function prometheusMetrics(_req, res) {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
