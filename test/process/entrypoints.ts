import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { ownLog, spawnEntrypoint, tail, type ManagedChild } from '../../packages/dev-tools/src/local/children.js';
import { freePort, stopChild } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { createSandboxAccount, startHubSpotSandbox, tempStore } from '../helpers/bridge.js';
import { temporalAddress } from '../helpers/temporal.js';

/**
 * What the real entrypoints (src/server.ts, src/worker.ts) run against in these tests: an in-process HubSpot
 * sandbox, a SQLite store file with one connected generic account, the suite's Temporal dev server, and the
 * environment that points the processes at them.
 */
export interface EntrypointWorld {
  readonly sandbox: Awaited<ReturnType<typeof startHubSpotSandbox>>;
  readonly store: Store;
  readonly accountId: string;
  readonly signingSecret: string;
  readonly taskQueue: string;
  /**
   * Starts an entrypoint as its own process with the world's environment plus `env`; its log is in the world's folder.
   */
  start(
    name: string,
    entry: 'packages/bridge/src/server.ts' | 'packages/bridge/src/worker.ts',
    env?: NodeJS.ProcessEnv,
  ): ManagedChild;
  close(): Promise<void>;
}

export async function startEntrypointWorld(): Promise<EntrypointWorld> {
  const sandbox = await startHubSpotSandbox();
  const { store, file, key } = tempStore();
  const created = await createSandboxAccount(sandbox);
  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  await store.upsertAccount({
    accountId: asAccountId(created.id),
    portalId: sandbox.portal.portalId,
    channelId: sandbox.channelId,
    provider: 'generic',
    name: created.name,
    deliveryIdentifier: created.deliveryIdentifier,
    authorized: true,
    credentials: { signingSecret },
  });
  const taskQueue = `process-${randomUUID()}`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-process-'));
  const env: NodeJS.ProcessEnv = {
    LOG_LEVEL: 'info',
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    BRIDGE_SQLITE_PATH: file,
    BRIDGE_DATA_DIR: logDir,
    BRIDGE_ENCRYPTION_KEY: key.toString('base64'),
    HUBSPOT_BASE_URL: sandbox.url,
    HUBSPOT_CHANNEL_ID: sandbox.channelId,
    // The sandbox's static token serves the portal; the app's credentials are required but unused here.
    HUBSPOT_ACCESS_TOKEN: sandbox.portal.accessToken,
    HUBSPOT_CLIENT_ID: 'process-test-client-id',
    HUBSPOT_CLIENT_SECRET: 'process-test-client-secret',
    BRIDGE_PUBLIC_URL: 'http://127.0.0.1:9',
    // A fresh store would otherwise hold the first messages for the senders' catch-up (docs/RELIABILITY.md).
    BRIDGE_CATCH_UP_SECONDS: '0',
  };
  const children: ManagedChild[] = [];
  return {
    sandbox,
    store,
    accountId: created.id,
    signingSecret,
    taskQueue,
    start(name, entry, extra = {}) {
      const child = spawnEntrypoint(name, entry, { ...env, ...extra }, logDir);
      children.push(child);
      return child;
    },
    async close() {
      await Promise.all(children.map((c) => stopChild(c.process, 2_000, 'SIGKILL')));
      await sandbox.close();
      await store.close();
    },
  };
}

/** Resolves with the exit code (null when killed by a signal) and when it happened. */
export function exitOf(
  child: ManagedChild,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) {
    return Promise.resolve({ code: child.process.exitCode, signal: child.process.signalCode, at: Date.now() });
  }
  return new Promise((resolve) =>
    child.process.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
}

/** Polls until `probe` returns a value; fails early with the child's log when it exits first. */
export async function untilServing<T>(
  child: ManagedChild,
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null)
      throw new Error(
        `${child.name} exited with ${child.process.exitCode} before ${what}:\n${tail(child.logFile, 30)}`,
      );
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name}: no ${what} within ${timeoutMs} ms:\n${tail(child.logFile, 30)}`);
}

/** The JSON lines a child logged with this `msg`. */
export function logLines(child: ManagedChild, msg: string): Record<string, unknown>[] {
  return ownLog(child)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);
}

export async function freePorts(n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, () => freePort()));
}

/**
 * One raw HTTP/1.1 connection, for what fetch cannot do: hold a connection open without a request, or send a
 * request's head in two parts.
 */
export async function rawConnection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    closed,
    write: (text: string) =>
      new Promise<void>((resolve, reject) => socket.write(text, (error) => (error ? reject(error) : resolve()))),
    /** The next whole response (Content-Length bodies only). */
    async response(timeoutMs = 10_000): Promise<{ status: number; headers: Record<string, string>; body: string }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end >= 0) {
          const [statusLine, ...lines] = received.slice(0, end).split('\r\n');
          const headers = Object.fromEntries(
            lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
          );
          const length = Number(headers['content-length'] ?? 0);
          const body = received.slice(end + 4);
          if (Buffer.byteLength(body) >= length) {
            received = '';
            return { status: Number(statusLine!.split(' ')[1]), headers, body };
          }
        }
        if (Date.now() > deadline)
          throw new Error(`no whole response within ${timeoutMs} ms; got ${JSON.stringify(received)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** Resolves once nothing accepts connections on the port any more. */
export async function untilRefused(port: number, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return Date.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`port ${port} still accepts connections after ${timeoutMs} ms`);
}
