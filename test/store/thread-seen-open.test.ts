import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { asAccountId, conversationKey } from '../../packages/bridge/src/domain/ids.js';
import { MIGRATIONS } from '../../packages/bridge/src/store/migrations/index.js';
import { openPostgresStore } from '../../packages/bridge/src/store/postgres.js';
import { toPostgres } from '../../packages/bridge/src/store/postgres/migrate.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { describeEachStore } from '../helpers/store-backends.js';
import { testDatabases } from '../helpers/test-databases.js';

const account = asAccountId('acct-seen-open');
const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 10, minute)).toISOString();

async function conversationIn(store: Store, chat: string, hubspotThreadId?: string) {
  const key = conversationKey(account, chat);
  await store.saveConversation({ conversationKey: key, accountId: account, integrationThreadId: key, generation: 0 });
  if (hubspotThreadId) await store.notePublished(key, hubspotThreadId, at(0), at(0));
  return key;
}

const seenAt = async (store: Store, key: string) => (await store.getConversation(key))?.threadOpenSeenAt;

describeEachStore("when a conversation's HubSpot thread was last seen open", 'bridge_seen_open', (open) => {
  it('is unknown for a new conversation, and a publish stamps it now unless told when', async () => {
    const store = await open();
    const key = await conversationIn(store, 'new');
    assert.equal(await seenAt(store, key), undefined);
    const before = Date.now();
    await store.notePublished(key, 'thread-1', at(1));
    const stamped = Date.parse((await seenAt(store, key))!);
    assert.ok(stamped >= before - 5 && stamped <= Date.now() + 5, `stamped ${new Date(stamped).toISOString()}`);
    await store.notePublished(key, 'thread-1', at(2), '2099-01-01T00:00:00.000Z');
    assert.equal(await seenAt(store, key), '2099-01-01T00:00:00.000Z');
  });

  it('moves forward only while the thread stays the same, and a publish into another thread takes its time', async () => {
    const store = await open();
    const key = await conversationIn(store, 'forward', 'thread-1');
    await store.notePublished(key, 'thread-1', at(3), at(5));
    await store.notePublished(key, 'thread-1', at(4), at(4));
    assert.equal(await seenAt(store, key), at(5), 'an older publish answer does not move it back');
    await store.notePublished(key, 'thread-2', at(6), at(2));
    const row = await store.getConversation(key);
    assert.deepEqual([row?.hubspotThreadId, row?.threadOpenSeenAt, row?.lastMessageAt], ['thread-2', at(2), at(6)]);
  });

  it('takes a read that found the thread open, forward only, and only for the thread the conversation is in', async () => {
    const store = await open();
    const key = await conversationIn(store, 'read', 'thread-1');
    await store.noteThreadOpen(key, 'thread-1', at(7));
    assert.equal(await seenAt(store, key), at(7));
    await store.noteThreadOpen(key, 'thread-1', at(6));
    assert.equal(await seenAt(store, key), at(7), 'an older read does not move it back');
    await store.noteThreadOpen(key, 'thread-old', at(9));
    assert.equal(await seenAt(store, key), at(7), 'a read of a thread the conversation left changes nothing');
  });

  it('is cleared when the conversation moves to a new thread', async () => {
    const store = await open();
    const key = await conversationIn(store, 'moved', 'thread-1');
    assert.equal(await seenAt(store, key), at(0));
    await store.saveConversation({
      conversationKey: key,
      accountId: account,
      integrationThreadId: `${key}#1`,
      generation: 1,
    });
    const row = await store.getConversation(key);
    assert.deepEqual([row?.generation, row?.hubspotThreadId, row?.threadOpenSeenAt], [1, undefined, undefined]);
  });
});

/** A database migrated up to the step before this column, holding one conversation, as an existing deployment has. */
const before14 = MIGRATIONS.filter((step) => step.version !== 14);
const oldRow = `INSERT INTO conversations (conversation_key, account_id, integration_thread_id, generation, hubspot_thread_id,
  last_message_at, updated_at) VALUES ('${account}:old', '${account}', '${account}:old', 0, 'thread-old', '${at(0)}', '${at(0)}')`;
const recorded = (version: number) =>
  `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${version}, 'before', '${at(0)}')`;
const schemaTable =
  'CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)';

async function keepsTheOldConversation(store: Store) {
  const key = conversationKey(account, 'old');
  assert.deepEqual(await store.getConversation(key), {
    conversationKey: key,
    accountId: account,
    integrationThreadId: key,
    generation: 0,
    hubspotThreadId: 'thread-old',
    lastMessageAt: at(0),
    threadOpenSeenAt: undefined,
  });
  await store.notePublished(key, 'thread-old', at(1), at(1));
  assert.equal(await seenAt(store, key), at(1));
}

describe('migration 14 on a store that has conversations', () => {
  const databases = testDatabases('bridge_seen_open_upgrade');
  after(() => databases.dropAll());

  it('SQLite: adds the column, the existing conversation reads as not yet seen open', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seen-open-')), 'bridge.sqlite');
    const db = new Database(file);
    db.exec(schemaTable);
    for (const step of before14) db.exec(step.sql).exec(recorded(step.version));
    db.exec(oldRow);
    db.close();
    const store = openSqliteStore({ path: file, encryptionKey: randomBytes(32) });
    try {
      await keepsTheOldConversation(store);
    } finally {
      await store.close();
    }
  });

  it(
    'PostgreSQL: adds the column, the existing conversation reads as not yet seen open',
    {
      skip: process.env.BRIDGE_TEST_DATABASE_URL ? false : 'BRIDGE_TEST_DATABASE_URL is not set',
    },
    async () => {
      const url = await databases.create();
      const client = new pg.Client(url);
      await client.connect();
      await client.query(schemaTable);
      for (const step of before14) {
        await client.query(toPostgres(step.sql));
        await client.query(recorded(step.version));
      }
      await client.query(oldRow);
      await client.end();
      const store = await openPostgresStore({ url, encryptionKey: randomBytes(32) });
      try {
        await keepsTheOldConversation(store);
      } finally {
        await store.close();
      }
    },
  );
});
