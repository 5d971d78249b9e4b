import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger.js';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The SDK's Prometheus metrics under the conventions the rest of /metrics follows (docs/METRICS.md): counters end in
 * `_total`, durations are in seconds and say so (`temporal_activity_execution_latency_seconds`), and every series
 * carries `service="worker"` like the worker's own. Without these options the SDK exports milliseconds and bare names.
 */
export function sdkPrometheusOptions(bindAddress: string) {
  return {
    globalTags: { service: 'worker' },
    prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
  };
}

/**
 * Sends the Temporal SDK's own log lines through our JSON logger (a workflow's or activity's lines carry the
 * message key: its workflow id). `metricsBindAddress` (loopback host:port) serves the SDK's worker metrics
 * in Prometheus text (sdkPrometheusOptions). Call once, before any worker.
 */
export function installTemporalRuntime(
  logger: Logger,
  level: LogLevel = 'INFO',
  options: { metricsBindAddress?: string } = {},
): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry) =>
      logger[LEVELS[entry.level]](
        {
          ...entry.meta,
          ...(entry.meta?.workflowId ? { messageKey: entry.meta.workflowId } : {}),
          source: 'temporal-sdk',
        },
        entry.message,
      ),
    ),
    ...(options.metricsBindAddress
      ? { telemetryOptions: { metrics: sdkPrometheusOptions(options.metricsBindAddress) } }
      : {}),
  });
}
