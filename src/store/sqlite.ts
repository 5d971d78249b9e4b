import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSecretBox } from './crypto.js';
import { sqliteAccounts } from './sqlite/accounts.js';
import { sqliteMessages } from './sqlite/messages.js';
import { migrate } from './sqlite/migrate.js';
import type { Store } from './types.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for a throwaway store. */
  readonly path: string;
  readonly encryptionKey: Buffer;
}

/**
 * The embedded default store: one SQLite file, WAL mode, migrations applied on open.
 * Each concern (accounts, messages, ...) lives in its own file under sqlite/ and is composed here.
 */
export function openSqliteStore({ path: file, encryptionKey }: SqliteStoreOptions): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const box = createSecretBox(encryptionKey);
  return {
    ...sqliteAccounts(db, box),
    ...sqliteMessages(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}
