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

/** Runs `stop` once on SIGINT or SIGTERM, then exits. */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
