import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalState } from '../../packages/dev-tools/src/cli/start.js';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { waitFor } from './temporal.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface StartedSystem {
  readonly process: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Runs the CLI as a user would, in its own process, and collects its output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): StartedSystem {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'packages/dev-tools/src/cli/index.ts'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

export async function startEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  return {
    BRIDGE_DATA_DIR: dataDir,
    BRIDGE_API_PORT: String(await freePort()),
    SANDBOX_HUBSPOT_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    SANDBOX_TELEGRAM_PORT: String(await freePort()),
    SANDBOX_WHATSAPP_PORT: String(await freePort()),
    SANDBOX_GENERIC_PORT: String(await freePort()),
    SANDBOX_TWILIO_PORT: String(await freePort()),
    // Sandbox mode whatever the developer's environment holds.
    HUBSPOT_ACCESS_TOKEN: '',
    HUBSPOT_CLIENT_ID: '',
  };
}

/** Waits for `npm start`'s banner and returns the state file it wrote. */
export async function waitForLocalState(system: StartedSystem, dataDir: string): Promise<LocalState> {
  await waitFor(
    () => {
      if (system.process.exitCode !== null) throw new Error(`start exited early:\n${system.output()}`);
      return system.output().includes('Press Ctrl-C to stop everything.') ? true : undefined;
    },
    180_000,
    'the start banner',
  );
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'local.json'), 'utf8')) as LocalState;
}
