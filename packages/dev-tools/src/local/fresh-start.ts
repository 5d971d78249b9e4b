import fs from 'node:fs';
import path from 'node:path';
import { demoWorldFile } from './demo-world.js';
import { sandboxStateDir } from './sandbox-mode.js';

const SQLITE_FILES = ['temporal.sqlite', 'bridge.sqlite'].flatMap((db) =>
  ['', '-wal', '-shm', '-journal'].map((suffix) => `${db}${suffix}`),
);

/** Everything `npm start` keeps in the data folder between runs. Named one by one: the folder may hold other things. */
export function localStateEntries(dataDir: string): string[] {
  return [
    sandboxStateDir(dataDir),
    ...SQLITE_FILES.map((file) => path.join(dataDir, file)),
    path.join(dataDir, 'local.json'),
    path.join(dataDir, 'local-secrets.json'),
    demoWorldFile(dataDir),
  ];
}

/**
 * `npm start -- --fresh`: forgets the sandbox world, Temporal's history, the bridge's store, local.json and the
 * saved secrets, so the start that follows seeds a new world. Logs stay. Returns what it removed.
 */
export function forgetLocalState(dataDir: string): string[] {
  const removed = localStateEntries(dataDir).filter((entry) => fs.existsSync(entry));
  for (const entry of removed) fs.rmSync(entry, { recursive: true, force: true });
  return removed;
}
