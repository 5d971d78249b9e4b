import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { BRIDGE_NODE_FLAGS, BRIDGE_PROCESS_ENV } from '../../../bridge/src/node-options.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  /** The log's size when this child started: the log is appended to across runs. */
  readonly logStart: number;
}

/**
 * Runs an entrypoint with its output appended to its own log file: TypeScript through tsx, compiled JavaScript (`.js`,
 * a build's) with plain node. `entry` is absolute or from the repository's root. The bridge's Node flags
 * (packages/bridge/src/node-options.ts) and `nodeArgs` go before it, and its environment is added.
 */
export function spawnEntrypoint(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
  nodeArgs: readonly string[] = [],
): ManagedChild {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      ...BRIDGE_NODE_FLAGS,
      ...nodeArgs,
      ...(entry.endsWith('.js') ? [] : ['--import', 'tsx']),
      path.resolve(ROOT, entry),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...BRIDGE_PROCESS_ENV, ...env },
      stdio: ['ignore', log, log],
    },
  );
  fs.closeSync(log);
  return { name, process: child, logFile, logStart };
}

/** What this child wrote to its log so far. */
export function ownLog(child: ManagedChild): string {
  if (!fs.existsSync(child.logFile)) return '';
  const fd = fs.openSync(child.logFile, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, fs.fstatSync(fd).size - child.logStart));
    fs.readSync(fd, buffer, 0, buffer.length, child.logStart);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The last lines of a log, to show why a child died. */
export function tail(file: string, lines = 15): string {
  if (!fs.existsSync(file)) return '(no log)';
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Polls until `ready()` resolves true; fails early if the child exits, and after `timeoutMs`. */
export async function waitUntil(
  child: ManagedChild,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(
        `${child.name} exited with code ${child.process.exitCode} before ${what}:\n${tail(child.logFile)}`,
      );
    }
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${child.name} did not reach "${what}" within ${timeoutMs / 1000} s; see ${child.logFile}`);
}

export const httpOk = (url: string) => async () => (await fetch(url)).ok;

/** Whether this child (not an earlier run into the same log) wrote `text`. */
export const logContains = (child: ManagedChild, text: string) => async () => ownLog(child).includes(text);

/**
 * How to tell a worker polls: its /readyz (packages/bridge/src/health/worker-health.ts), on the health port its
 * settings name or on a free one given to it. Not its log: the "worker polling" line is written at info, so
 * LOG_LEVEL=warn hid it and the start waited 90 s for nothing.
 */
export async function workerProbe(settings: NodeJS.ProcessEnv): Promise<{ env: NodeJS.ProcessEnv; readyzUrl: string }> {
  const named = Number(settings.BRIDGE_WORKER_HEALTH_PORT ?? 0);
  const port = Number.isInteger(named) && named > 0 ? named : await freePort();
  const host = settings.BRIDGE_WORKER_HEALTH_HOST;
  const reachable = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    env: { BRIDGE_WORKER_HEALTH_PORT: String(port) },
    readyzUrl: `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/readyz`,
  };
}
