import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerBuildInfo } from './build-info.js';
import { createHubSpotRequestsCounter } from './hubspot-calls.js';

/**
 * The worker's own metrics (its /metrics also appends the Temporal SDK's): Node's standard `process_*` and `nodejs_*`,
 * message outcomes, step latencies, HubSpot requests and build info, every series with `service="worker"`
 * (docs/METRICS.md). One registry per process, so tests can build several without name clashes.
 */
export function createWorkerMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'worker' });
  collectDefaultMetrics({ register: registry });
  registerBuildInfo(registry);
  return {
    registry,
    /** A message reached an outcome: inbound published/held/failed, outbound sent/read/failed. */
    messages: new Counter({
      name: 'bridge_messages_total',
      help: 'Messages by direction, provider and outcome',
      labelNames: ['direction', 'provider', 'outcome'] as const,
      registers: [registry],
    }),
    /** Each activity attempt: the step's latency, by outcome (completed, failed = will not be retried, retrying). */
    steps: new Histogram({
      name: 'bridge_step_duration_seconds',
      help: 'Latency of each workflow step (activity attempt), by step and outcome',
      labelNames: ['step', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    /** Every request to HubSpot's API, by portal and status (countingLimiter in src/metrics/hubspot-calls.ts). */
    hubspotRequests: createHubSpotRequestsCounter(registry),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
