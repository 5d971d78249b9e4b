import path from 'node:path';
import { logContains, spawnEntrypoint, waitUntil, type ManagedChild } from '../../src/local/children.js';
import { freePort, stopChild } from '../../src/local/temporal-dev-server.js';
import type { LocalSystem } from '../../src/local/system.js';

export interface Baselines {
  /** Baseline (a): the Express endpoint that starts the bare workflow. */
  readonly bareApiUrl: string;
  /** Baseline (a)'s worker, which also reports when each no-op activity ran. */
  readonly bareWorkerUrl: string;
  /** Baseline (b): the naive forwarder. */
  readonly naiveUrl: string;
  pid(part: 'bare-api' | 'bare-worker' | 'naive'): number | undefined;
  stop(): Promise<void>;
}

/** The engine baseline's task queue, on the same Temporal dev server as the bridge's. */
export const BARE_TASK_QUEUE = 'bench-bare';

/**
 * Starts both baselines as their own processes next to the bridge: on the same Temporal dev server and the same
 * HubSpot sandbox, publishing for the generic account (the naive forwarder) with its portal's token.
 */
export async function startBaselines(system: LocalSystem, logDir: string): Promise<Baselines> {
  const [bareApiPort, bareWorkerPort, naivePort] = await Promise.all([freePort(), freePort(), freePort()]);
  const generic = system.account('generic');
  const common = { TEMPORAL_ADDRESS: system.temporalAddress, BARE_TASK_QUEUE };
  const children: Record<string, ManagedChild> = {
    'bare-worker': spawnEntrypoint(
      'bare-worker',
      'packages/dev-tools/bench/baselines/bare-worker.ts',
      { ...common, BARE_WORKER_PORT: String(bareWorkerPort) },
      logDir,
    ),
    'bare-api': spawnEntrypoint(
      'bare-api',
      'packages/dev-tools/bench/baselines/bare-api.ts',
      { ...common, BARE_API_PORT: String(bareApiPort) },
      logDir,
    ),
    naive: spawnEntrypoint(
      'naive',
      'packages/dev-tools/bench/baselines/naive-forwarder.ts',
      {
        NAIVE_PORT: String(naivePort),
        NAIVE_HUBSPOT_URL: system.urls.hubspot,
        NAIVE_CHANNEL_ID: system.channelId,
        NAIVE_CHANNEL_ACCOUNT_ID: generic.channelAccountId,
        NAIVE_ACCESS_TOKEN: system.info.portals[0]!.accessToken,
        NAIVE_SIGNING_SECRET: generic.secret,
      },
      logDir,
    ),
  };
  const stop = () => Promise.all(Object.values(children).map((c) => stopChild(c.process, 5_000))).then(() => undefined);
  try {
    await Promise.all([
      waitUntil(
        children['bare-worker']!,
        'polling',
        logContains(children['bare-worker']!, 'bare worker polling'),
        120_000,
      ),
      waitUntil(children['bare-api']!, 'listening', logContains(children['bare-api']!, 'bare api listening')),
      waitUntil(children.naive!, 'listening', logContains(children.naive!, 'naive forwarder listening')),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    bareApiUrl: `http://127.0.0.1:${bareApiPort}`,
    bareWorkerUrl: `http://127.0.0.1:${bareWorkerPort}`,
    naiveUrl: `http://127.0.0.1:${naivePort}`,
    pid: (part) => children[part]?.process.pid,
    stop,
  };
}

export const baselineLogDir = (dataDir: string) => path.join(dataDir, 'logs');
