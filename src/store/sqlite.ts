import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AccountId, ConversationKey, ProviderKind } from '../domain/ids.js';
import { createSecretBox } from './crypto.js';
import { MIGRATIONS } from './migrations.js';
import type { AccountWithCredentials, DeliveryIdentifier, MessageMapping, Store } from './types.js';

interface AccountRow {
  account_id: string;
  portal_id: string;
  channel_id: string;
  provider: string;
  name: string;
  delivery_identifier_type: string;
  delivery_identifier_value: string;
  authorized: number;
  credentials_sealed: string;
}

interface MappingRow {
  message_key: string;
  direction: string;
  account_id: string;
  conversation_key: string;
  provider_message_id: string;
  hubspot_message_id: string;
  hubspot_thread_id: string | null;
}

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for a throwaway store. */
  readonly path: string;
  readonly encryptionKey: Buffer;
}

/** The embedded default store: one SQLite file, WAL mode, migrations applied on open. */
export function openSqliteStore({ path: file, encryptionKey }: SqliteStoreOptions): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const box = createSecretBox(encryptionKey);

  const upsertAccount = db.prepare(`
    INSERT INTO accounts (account_id, portal_id, channel_id, provider, name, delivery_identifier_type,
      delivery_identifier_value, authorized, credentials_sealed, updated_at)
    VALUES (@account_id, @portal_id, @channel_id, @provider, @name, @delivery_identifier_type,
      @delivery_identifier_value, @authorized, @credentials_sealed, @updated_at)
    ON CONFLICT (account_id) DO UPDATE SET portal_id = excluded.portal_id, channel_id = excluded.channel_id,
      provider = excluded.provider, name = excluded.name, delivery_identifier_type = excluded.delivery_identifier_type,
      delivery_identifier_value = excluded.delivery_identifier_value, authorized = excluded.authorized,
      credentials_sealed = excluded.credentials_sealed, updated_at = excluded.updated_at`);
  const selectAccount = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE account_id = ?');
  const insertMapping = db.prepare(`
    INSERT INTO message_mappings (message_key, direction, account_id, conversation_key, provider_message_id,
      hubspot_message_id, hubspot_thread_id, created_at)
    VALUES (@message_key, @direction, @account_id, @conversation_key, @provider_message_id,
      @hubspot_message_id, @hubspot_thread_id, @created_at)
    ON CONFLICT (message_key) DO NOTHING`);
  const selectMapping = db.prepare<[string], MappingRow>('SELECT * FROM message_mappings WHERE message_key = ?');

  return {
    async upsertAccount(account) {
      upsertAccount.run({
        account_id: account.accountId,
        portal_id: account.portalId,
        channel_id: account.channelId,
        provider: account.provider,
        name: account.name,
        delivery_identifier_type: account.deliveryIdentifier.type,
        delivery_identifier_value: account.deliveryIdentifier.value,
        authorized: account.authorized ? 1 : 0,
        credentials_sealed: box.seal(JSON.stringify(account.credentials)),
        updated_at: new Date().toISOString(),
      });
    },
    async getAccount(accountId) {
      const row = selectAccount.get(accountId);
      return row && toAccount(row, JSON.parse(box.open(row.credentials_sealed)) as Record<string, string>);
    },
    async recordMessage(m) {
      insertMapping.run({
        message_key: m.messageKey,
        direction: m.direction,
        account_id: m.accountId,
        conversation_key: m.conversationKey,
        provider_message_id: m.providerMessageId,
        hubspot_message_id: m.hubspotMessageId,
        hubspot_thread_id: m.hubspotThreadId ?? null,
        created_at: new Date().toISOString(),
      });
    },
    async findMessage(messageKey) {
      const row = selectMapping.get(messageKey);
      return row && toMapping(row);
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version));
  for (const step of MIGRATIONS) {
    if (applied.has(step.version)) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        step.version,
        step.name,
        new Date().toISOString(),
      );
    })();
  }
}

function toAccount(row: AccountRow, credentials: Record<string, string>): AccountWithCredentials {
  return {
    accountId: row.account_id as AccountId,
    portalId: row.portal_id,
    channelId: row.channel_id,
    provider: row.provider as ProviderKind,
    name: row.name,
    deliveryIdentifier: { type: row.delivery_identifier_type as DeliveryIdentifier['type'], value: row.delivery_identifier_value },
    authorized: row.authorized === 1,
    credentials,
  };
}

function toMapping(row: MappingRow): MessageMapping {
  return {
    messageKey: row.message_key,
    direction: row.direction as MessageMapping['direction'],
    accountId: row.account_id as AccountId,
    conversationKey: row.conversation_key as ConversationKey,
    providerMessageId: row.provider_message_id,
    hubspotMessageId: row.hubspot_message_id,
    hubspotThreadId: row.hubspot_thread_id ?? undefined,
  };
}
