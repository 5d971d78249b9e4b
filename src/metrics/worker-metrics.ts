import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The worker's own metrics (its /metrics also appends the Temporal SDK's). One registry per process,
 * so tests can build several without name clashes.
 */
export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bridge_worker_' });
  return {
    registry,
    /** A message reached an outcome: inbound published/held/failed, outbound sent/read/failed. */
    messages: new Counter({ name: 'bridge_messages_total', help: 'Messages by direction, provider and outcome', labelNames: ['direction', 'provider', 'outcome'] as const, registers: [registry] }),
    /** Each activity attempt: the step's latency, by outcome (completed, failed = will not be retried, retrying). */
    steps: new Histogram({
      name: 'bridge_step_duration_seconds',
      help: 'Latency of each workflow step (activity attempt), by step and outcome',
      labelNames: ['step', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
