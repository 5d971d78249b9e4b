import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { State } from '@temporalio/worker';

/** What the worker's /readyz reports. */
export interface WorkerReadiness {
  readonly ready: boolean;
  /** The SDK's worker state, or `CREATING` before the worker exists (bundling, connecting). */
  readonly state: State | 'CREATING';
  /** Why it is not ready: `starting`, `draining`, `stopped` or `failed`. */
  readonly reason?: string;
}

const REASONS: Record<State | 'CREATING', string | undefined> = {
  CREATING: 'starting',
  INITIALIZED: 'starting',
  RUNNING: undefined,
  STOPPING: 'draining',
  DRAINING: 'draining',
  DRAINED: 'draining',
  STOPPED: 'stopped',
  FAILED: 'failed',
};

/** Ready only while the SDK's worker is RUNNING, i.e. polling its task queue. */
export function workerReadiness(state: State | undefined): WorkerReadiness {
  const known = state ?? 'CREATING';
  const reason = REASONS[known];
  return reason === undefined ? { ready: true, state: known } : { ready: false, state: known, reason };
}

export interface WorkerHealthOptions {
  readonly host: string;
  /** 0 picks a free port (tests); the entrypoint does not call this when the setting is 0. */
  readonly port: number;
  /** Asked on every /readyz. */
  readonly readiness: () => WorkerReadiness;
}

/**
 * The worker's probes, on their own small server so they work whether or not /metrics is served:
 * `/healthz` answers 200 while the process lives; `/readyz` answers 200 while the worker polls, else 503 with
 * its state and reason (starting, draining on SIGTERM, stopped).
 */
export async function serveWorkerHealth(
  options: WorkerHealthOptions,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(function workerHealth(req, res) {
    const path = req.url?.split('?')[0];
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /healthz and /readyz here\n');
      return;
    }
    const body = path === '/healthz' ? { ok: true } : readinessBody(options.readiness());
    const text = JSON.stringify(body);
    res
      .writeHead(body.ok ? 200 : 503, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      })
      .end(text);
  });
  // Probes are short; an idle probe connection must not hold the worker's exit.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readinessBody(readiness: WorkerReadiness): { ok: boolean; state: string; reason?: string } {
  return { ok: readiness.ready, state: readiness.state, ...(readiness.reason ? { reason: readiness.reason } : {}) };
}
