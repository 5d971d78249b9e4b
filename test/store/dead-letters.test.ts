import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { NewDeadLetter, Store } from '../../src/store/types.js';
import { testDatabases } from '../helpers/test-databases.js';

// scripts/test.ts provisions a throwaway cluster (scripts/provision-postgres.sh) and exports its URL.
const adminUrl = process.env.BRIDGE_TEST_DATABASE_URL;
const databases = testDatabases('bridge_dead');
const postgresUrl = () => databases.create();

const backends = [
  { name: 'SQLite', skip: false as const, open: async () => openSqliteStore({ path: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-dead-')), 'bridge.sqlite'), encryptionKey: randomBytes(32) }) },
  {
    name: 'PostgreSQL',
    skip: adminUrl ? (false as const) : 'BRIDGE_TEST_DATABASE_URL is not set (npm test provisions PostgreSQL)',
    open: async () => openPostgresStore({ url: await postgresUrl(), encryptionKey: randomBytes(32) }),
  },
];

const at = (minutesAgo: number) => new Date(Date.parse('2026-03-01T12:00:00.000Z') - minutesAgo * 60_000).toISOString();
const letter = (id: string, minutesAgo: number, body = `{"eventId":"${id}","text":"élan"}`): NewDeadLetter => ({
  id, source: 'hubspot', type: 'unusable', eventId: id, reason: 'no event type', body, receivedAt: at(minutesAgo),
});

for (const backend of backends) {
  describe(`${backend.name} store: dead letters`, { skip: backend.skip }, () => {
    const opened: Store[] = [];
    const open = async () => {
      const store = await backend.open();
      opened.push(store);
      return store;
    };
    after(async () => {
      for (const s of opened) await s.close().catch(() => undefined);
    });

    it('keeps a letter with its body, once per id, and lists summaries newest first', async () => {
      const store = await open();
      await store.saveDeadLetter(letter('a', 10));
      await store.saveDeadLetter({ ...letter('b', 5), receivedType: 'SOMETHING', eventId: undefined });
      await store.saveDeadLetter({ ...letter('a', 0), reason: 'a redelivery keeps the first row' });
      assert.deepEqual(await store.listDeadLetters(10), [
        { id: 'b', source: 'hubspot', type: 'unusable', receivedType: 'SOMETHING', reason: 'no event type', receivedAt: at(5), bytes: Buffer.byteLength('{"eventId":"b","text":"élan"}'), replayAttempts: 0 },
        { id: 'a', source: 'hubspot', type: 'unusable', eventId: 'a', reason: 'no event type', receivedAt: at(10), bytes: Buffer.byteLength('{"eventId":"a","text":"élan"}'), replayAttempts: 0 },
      ]);
      assert.equal((await store.getDeadLetter('a'))?.body, '{"eventId":"a","text":"élan"}');
      assert.deepEqual((await store.listDeadLetters(1)).map((l) => l.id), ['b']);
      assert.equal(await store.getDeadLetter('nope'), undefined);
    });

    it('notes a failed replay and deletes a letter once', async () => {
      const store = await open();
      await store.saveDeadLetter(letter('a', 1));
      await store.noteDeadLetterReplayFailed('a', 'still no type', at(0));
      await store.noteDeadLetterReplayFailed('a', 'still no type, again', at(0));
      const noted = await store.getDeadLetter('a');
      assert.deepEqual([noted?.reason, noted?.replayAttempts, noted?.lastReplayAt], ['still no type, again', 2, at(0)]);
      assert.equal(await store.deleteDeadLetter('a'), true);
      assert.equal(await store.deleteDeadLetter('a'), false);
      assert.equal(await store.getDeadLetter('a'), undefined);
    });

    it('prunes by age, by count and by total bytes, oldest first', async () => {
      const store = await open();
      for (let i = 0; i < 6; i += 1) await store.saveDeadLetter(letter(`n${i}`, 60 - i));
      assert.equal(await store.pruneDeadLetters({ keep: 100, maxBytes: 1e9, receivedBefore: at(58.5) }), 2);
      assert.equal(await store.pruneDeadLetters({ keep: 3, maxBytes: 1e9, receivedBefore: at(1000) }), 1);
      assert.deepEqual((await store.listDeadLetters(10)).map((l) => l.id), ['n5', 'n4', 'n3']);
      const size = Buffer.byteLength(letter('n5', 0).body);
      assert.equal(await store.pruneDeadLetters({ keep: 100, maxBytes: 2 * size, receivedBefore: at(1000) }), 1);
      assert.deepEqual((await store.listDeadLetters(10)).map((l) => l.id), ['n5', 'n4']);
      assert.equal(await store.pruneDeadLetters({ keep: 100, maxBytes: 2 * size, receivedBefore: at(1000) }), 0);
    });
  });
}

after(() => databases.dropAll());
