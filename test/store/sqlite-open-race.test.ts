import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
// Every process loads first, then opens at the same agreed moment, so the opens really overlap.
const OPEN_AND_CLOSE = `
import { openSqliteStore } from ${JSON.stringify(path.join(ROOT, 'packages/bridge/src/store/sqlite.ts'))};
await new Promise((resolve) => setTimeout(resolve, Number(process.env.OPEN_AT) - Date.now()));
const store = openSqliteStore({ path: process.env.FILE, encryptionKey: Buffer.from(process.env.KEY, 'base64') });
await store.close();
`;

function openInAnotherProcess(
  file: string,
  key: string,
  openAt: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', OPEN_AND_CLOSE], {
      cwd: ROOT,
      env: { ...process.env, FILE: file, KEY: key, OPEN_AT: String(openAt) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** `npm start` starts the api and the worker together, and on a first run both create the store's file. */
describe('a new SQLite store opened by several processes at once', () => {
  it('is migrated once, and neither process fails', { timeout: 180_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-race-'));
    const key = randomBytes(32).toString('base64');
    try {
      for (let round = 0; round < 6; round += 1) {
        const file = path.join(dir, `bridge-${round}.sqlite`);
        const openAt = Date.now() + 4_000;
        const results = await Promise.all([1, 2, 3, 4].map(() => openInAnotherProcess(file, key, openAt)));
        for (const result of results) assert.equal(result.code, 0, `round ${round}: ${result.output}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
