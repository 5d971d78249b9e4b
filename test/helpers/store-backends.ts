import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe } from 'node:test';
import { openPostgresStore } from '../../packages/bridge/src/store/postgres.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { testDatabases } from './test-databases.js';

/**
 * Describes the same behaviour once per store backend: SQLite, and PostgreSQL on the cluster scripts/test.ts
 * provisions (skipped, saying why, without BRIDGE_TEST_DATABASE_URL). Each `open()` is a fresh store on a fresh
 * file or database; all are closed, and the databases dropped, after the file's tests.
 */
export function describeEachStore(title: string, prefix: string, body: (open: () => Promise<Store>) => void): void {
  const databases = testDatabases(prefix);
  after(() => databases.dropAll());
  const backends = [
    {
      name: 'SQLite',
      skip: false as const,
      open: async () =>
        openSqliteStore({
          path: path.join(fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`)), 'bridge.sqlite'),
          encryptionKey: randomBytes(32),
        }),
    },
    {
      name: 'PostgreSQL',
      skip: process.env.BRIDGE_TEST_DATABASE_URL
        ? (false as const)
        : 'BRIDGE_TEST_DATABASE_URL is not set (npm test provisions PostgreSQL)',
      open: async () => openPostgresStore({ url: await databases.create(), encryptionKey: randomBytes(32) }),
    },
  ];
  for (const backend of backends) {
    describe(`${backend.name} store: ${title}`, { skip: backend.skip }, () => {
      const opened: Store[] = [];
      after(async () => {
        for (const store of opened) await store.close().catch(() => undefined);
      });
      body(async () => {
        const store = await backend.open();
        opened.push(store);
        return store;
      });
    });
  }
}
