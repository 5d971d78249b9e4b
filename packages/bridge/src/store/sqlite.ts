import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createKeyring } from './crypto.js';
import { sqliteAccounts } from './sqlite/accounts.js';
import { sqliteChatAliases } from './sqlite/chat-aliases.js';
import { sqliteConnections } from './sqlite/connections.js';
import { sqliteConversations } from './sqlite/conversations.js';
import { sqliteMessages } from './sqlite/messages.js';
import { sqliteOutbound } from './sqlite/outbound.js';
import { sqliteOutboundParts } from './sqlite/outbound-parts.js';
import { sqliteApiPresence } from './sqlite/api-presence.js';
import { sqliteDeadLetters } from './sqlite/dead-letters.js';
import { sqliteConversationTurns } from './sqlite/conversation-turns.js';
import { sqliteCallSlots } from './sqlite/rate-limit.js';
import { sqliteStagedMedia } from './sqlite/staged-media.js';
import { sqliteOAuthStates } from './sqlite/oauth-states.js';
import { sqliteTokens } from './sqlite/tokens.js';
import { migrate } from './sqlite/migrate.js';
import type { Store } from './types.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for a throwaway store. */
  readonly path: string;
  readonly encryptionKey: Buffer;
  /** Keys that may still open stored secrets during a rotation (BRIDGE_PREVIOUS_ENCRYPTION_KEYS). */
  readonly previousEncryptionKeys?: readonly Buffer[];
}

/**
 * WAL mode. Two processes may open a new file at once (`npm start` in live mode starts the api and the worker
 * together), and SQLite answers the switch with SQLITE_BUSY without waiting for the other, so it is tried again.
 */
function useWal(db: Database.Database): void {
  for (let attempt = 1; ; attempt += 1) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= 50) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // opening the store is synchronous
    }
  }
}

/**
 * The embedded default store: one SQLite file, WAL mode, migrations applied on open.
 * Each concern (accounts, messages, ...) lives in its own file under sqlite/ and is composed here.
 */
export function openSqliteStore({ path: file, encryptionKey, previousEncryptionKeys }: SqliteStoreOptions): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  useWal(db);
  migrate(db);
  const box = createKeyring(encryptionKey, previousEncryptionKeys);
  return {
    ...sqliteAccounts(db, box),
    ...sqliteMessages(db),
    ...sqliteOutbound(db),
    ...sqliteOutboundParts(db),
    ...sqliteApiPresence(db),
    ...sqliteDeadLetters(db),
    ...sqliteConversations(db),
    ...sqliteStagedMedia(db),
    ...sqliteCallSlots(db),
    ...sqliteConversationTurns(db),
    ...sqliteChatAliases(db),
    ...sqliteTokens(db, box),
    ...sqliteOAuthStates(db),
    ...sqliteConnections(db, box),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}
