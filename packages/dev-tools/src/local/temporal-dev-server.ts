import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../../../bridge/src/domain/search-attributes.js';

const PROVISION_SCRIPT = fileURLToPath(new URL('../../../../scripts/provision-temporal.sh', import.meta.url));

/** Runs scripts/provision-temporal.sh (installs once, then instant) and returns the CLI's path. */
export async function provisionTemporalCli(): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [PROVISION_SCRIPT], { maxBuffer: 1 << 20 }).catch(
    (error: { stderr?: string }) => {
      throw new Error(`could not provision the Temporal CLI:\n${error.stderr ?? String(error)}`);
    },
  );
  return stdout.trim().split('\n').pop()!;
}

export interface DevServerOptions {
  readonly cliPath: string;
  readonly port: number;
  /** Serve the Temporal UI on this port; headless when unset. */
  readonly uiPort?: number;
  /** SQLite file, so workflows survive a restart. */
  readonly dbFile: string;
  readonly logFile: string;
}

export interface DevServer {
  readonly address: string;
  readonly uiUrl?: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** The argv for `temporal server start-dev`: loopback only, version check off, our search attributes. */
export function devServerArgs(options: DevServerOptions): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    'default',
    '--db-filename',
    options.dbFile,
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=OFF',
    '--log-format',
    'json',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...ALL_SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ...(options.uiPort ? ['--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort)] : ['--headless']),
  ];
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export { freePort } from './free-port.js';

/** The CLI's last word before it exits, e.g. `Error: can't set frontend port 7233: … address already in use`. */
function lastLogLine(logFile: string): string {
  const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n');
  return lines[lines.length - 1]!.slice(0, 300);
}

/** Resolves once the server answers a health check; bounded, so a broken start fails instead of hanging. */
async function waitUntilHealthy(address: string, port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `the Temporal dev server exited with code ${child.exitCode} (${lastLogLine(logFile)}); see ${logFile}`,
      );
    }
    if (await portOpen(port)) {
      const connection = await Connection.connect({ address, connectTimeout: 2000 }).catch(() => undefined);
      if (connection) {
        try {
          await connection.healthService.check({});
          return;
        } catch {
          // not serving yet
        } finally {
          await connection.close();
        }
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Temporal dev server did not become healthy within 60 s; see ${logFile}`);
}

/**
 * Start attempts when the dev server dies on a port some other process bound first. It picks five internal ports
 * (history, matching, worker, HTTP API, metrics) by asking the OS for free ones and binds them later (an inference
 * from `ss -ltnp` on a running dev server: five ephemeral listeners beside --port), so a busy machine can take one
 * in between; a new attempt picks new ones.
 */
const START_ATTEMPTS = 3;

export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  if (await portOpen(options.port))
    throw new Error(`port ${options.port} is already in use; set TEMPORAL_PORT to another port`);
  fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  const logStart = fs.fstatSync(log).size;
  const child = spawn(options.cliPath, devServerArgs(options), {
    stdio: ['ignore', log, log],
    env: { ...process.env, TEMPORAL_VERSION_CHECK_DISABLED: '1' },
  });
  fs.closeSync(log);
  const address = `127.0.0.1:${options.port}`;
  const stop = () => stopChild(child);
  try {
    await waitUntilHealthy(address, options.port, child, options.logFile);
    await keepClosedWorkflows(address, LOCAL_RETENTION_DAYS);
  } catch (error) {
    await stop();
    if (child.exitCode !== null && diedOnTakenPort(options.logFile, logStart)) throw new PortTakenError(String(error));
    throw error;
  }
  return { address, uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined, process: child, stop };
}

/** Whether this attempt's part of the log says a port could not be bound. */
function diedOnTakenPort(logFile: string, from: number): boolean {
  const written = fs.readFileSync(logFile).subarray(from).toString('utf8');
  return /bind: address already in use/.test(written);
}

/**
 * How long the local namespace keeps a finished workflow. The dev server creates it with one day, after which
 * `messages show` and `messages retry` no longer find a message; production uses 30 days (docker-compose.yml).
 */
export const LOCAL_RETENTION_DAYS = 30;

/** Sets the `default` namespace's retention (the dev server has no flag for it). */
async function keepClosedWorkflows(address: string, days: number): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 5000 });
  try {
    await connection.workflowService.updateNamespace({
      namespace: 'default',
      config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) },
    });
  } finally {
    await connection.close();
  }
}

/** `signal` (SIGTERM by default), then SIGKILL after `graceMs`; resolves when the child is gone. */
export function stopChild(child: ChildProcess, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
