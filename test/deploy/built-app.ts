import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, stopChild } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { waitFor } from '../helpers/temporal.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `npm run build` into a fresh folder under .tmp/ (inside the repository, so node_modules resolves from it as it
 * does from dist/), leaving the developer's dist/ alone. Returns the output folder.
 */
export function buildInto(label: string): string {
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const outDir = path.join(fs.mkdtempSync(path.join(ROOT, '.tmp', `${label}-`)), 'dist');
  const build = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'packages/bridge/scripts/build.ts'), '--out-dir', outDir],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status}):\n${build.stdout}\n${build.stderr}`);
  return outDir;
}

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

/**
 * Runs a built entrypoint with plain node (no tsx) in an empty working directory, so no developer's `.env` is read.
 * The environment is the given one over PATH and HOME only: nothing of the test runner's (its WORKFLOW_BUNDLE_PATH,
 * TEMPORAL_ADDRESS…) leaks in.
 */
export function runBuilt(node: string, script: string, env: Record<string, string>, args: string[] = []): NodeProcess {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-built-'));
  const child = spawn(node, [script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, stop: () => stopChild(child) };
}

/** Runs a built entrypoint to completion (the CLI). */
export function runBuiltOnce(node: string, script: string, args: string[]): { status: number | null; output: string } {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-built-'));
  const run = spawnSync(node, [script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/**
 * What the api and the worker need to start, as in production (an app's OAuth credentials, no static token), on
 * SQLite (`store` overrides it) and the given Temporal. HubSpot is a closed loopback port: nothing leaves the machine.
 */
export async function bridgeEnv(
  temporalAddress: string,
  store: Record<string, string> = {},
): Promise<Record<string, string> & { BRIDGE_API_PORT: string }> {
  const port = String(await freePort());
  const hubspot = String(await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-built-data-'));
  return {
    BRIDGE_API_HOST: '127.0.0.1',
    BRIDGE_API_PORT: port,
    BRIDGE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    BRIDGE_SQLITE_PATH: path.join(dataDir, 'bridge.sqlite'),
    BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HUBSPOT_BASE_URL: `http://127.0.0.1:${hubspot}`,
    HUBSPOT_CHANNEL_ID: '1',
    HUBSPOT_CLIENT_ID: 'deploy-test-client',
    HUBSPOT_CLIENT_SECRET: 'deploy-test-client-secret',
    TEMPORAL_ADDRESS: temporalAddress,
    LOG_LEVEL: 'info',
    ...store,
  };
}

/** The status of GET url once the server answers at all (bounded). */
export function statusOnceListening(url: string, proc: NodeProcess, timeoutMs = 60_000): Promise<number> {
  return waitFor(
    async () => {
      if (proc.child.exitCode !== null)
        throw new Error(`exited ${proc.child.exitCode} before answering ${url}:\n${proc.output()}`);
      return fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.status,
        () => undefined,
      );
    },
    timeoutMs,
    `${url} to answer (${proc.output().slice(-400)})`,
  );
}

/** Waits until GET url answers `status` (readiness can take a moment after the first answer). */
export function waitForStatus(url: string, status: number, proc: NodeProcess, timeoutMs = 60_000): Promise<true> {
  return waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`exited ${proc.child.exitCode}:\n${proc.output()}`);
      const got = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.status,
        () => undefined,
      );
      return got === status ? true : undefined;
    },
    timeoutMs,
    `${url} to answer ${status} (${proc.output().slice(-400)})`,
  );
}
