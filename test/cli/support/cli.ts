import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../../packages/bridge/src/api/app.js';
import { createLogger } from '../../../packages/bridge/src/logger.js';
import type { Store } from '../../../packages/bridge/src/store/types.js';
import { listen } from '../../helpers/bridge.js';
import { connectClient } from '../../helpers/temporal.js';

const bin = path.resolve(import.meta.dirname, '../../../packages/bridge/bin/channel-bridge.js');
/** An empty working folder: no `.env` of the developer's is read by the commands under test. */
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `channel-bridge` (bin/channel-bridge.js) with only the given settings besides PATH and HOME. */
export function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The api on a real store and the suite's Temporal, with an admin token, for the commands that call the admin API. */
export async function startAdminApi(store: Store, adminToken: string) {
  const temporal = await connectClient();
  const app = createApp({
    store,
    temporal: temporal.client,
    taskQueue: 'cli',
    logger: createLogger('cli-api', 'silent'),
    maxBodyBytes: 65536,
    checkTemporal: async () => undefined,
    adminToken,
  });
  const { server, url } = await listen(app);
  return {
    url,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await temporal.close();
    },
  };
}
