import { ConfigError } from './config.js';
import type { Logger } from './logger.js';

/** Entrypoints only: a bad environment prints each problem and exits 2 instead of a stack trace. */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee README.md, "Pointing it at a real HubSpot portal".\n`);
      process.exit(2);
    }
    throw error;
  }
}

export interface ShutdownOptions {
  /**
   * How long `stop` may take before the process exits 1 anyway: the drain's grace plus time to close the
   * connections behind it. Keep the orchestrator's kill timeout above it.
   */
  readonly deadlineMs: number;
}

/**
 * Runs `stop` once, on the first SIGINT or SIGTERM (later signals are logged and ignored), then exits 0, or 1
 * when it throws or outlives `deadlineMs`.
 */
export function onShutdown(
  logger: Logger,
  stop: (signal: NodeJS.Signals) => Promise<void>,
  options: ShutdownOptions,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    const started = Date.now();
    logger.info({ signal, deadlineMs: options.deadlineMs }, 'shutting down');
    setTimeout(() => {
      logger.error({ signal, deadlineMs: options.deadlineMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, options.deadlineMs).unref();
    stop(signal)
      .then(() => {
        logger.info({ signal, durationMs: Date.now() - started }, 'shut down');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error, durationMs: Date.now() - started }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
