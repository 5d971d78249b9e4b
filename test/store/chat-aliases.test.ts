import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { asAccountId, conversationKey } from '../../packages/bridge/src/domain/ids.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import { describeEachStore } from '../helpers/store-backends.js';

const root = path.resolve(import.meta.dirname, '../..');
const sqliteFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-aliases-')), 'bridge.sqlite');

/** A fresh customer: a phone number and a business-scoped user id, as WhatsApp names them. */
let next = 0;
const customer = () => {
  next += 1;
  return {
    phone: `4477009${String(next).padStart(5, '0')}`,
    bsuid: `GB.${String(next).padStart(4, '0')}${randomBytes(6).toString('hex')}`,
  };
};

describeEachStore('one conversation per customer across their ids', 'bridge_alias', (open) => {
  it('keeps a customer who began by phone in the phone conversation when they come by BSUID only, or by phone only', async () => {
    const store = await open();
    const { phone, bsuid } = customer();
    assert.equal(await store.resolveChatId('555', [phone], 1_000), phone);
    assert.equal(await store.resolveChatId('555', [phone, bsuid], 2_000), phone);
    assert.equal(await store.resolveChatId('555', [bsuid], 3_000), phone);
    assert.equal(await store.resolveChatId('555', [phone], 4_000), phone);
  });

  it('keeps a customer who began by BSUID only in the BSUID conversation when their phone number shows up', async () => {
    const store = await open();
    const { phone, bsuid } = customer();
    assert.equal(await store.resolveChatId('555', [bsuid], 1_000), bsuid);
    // The WhatsApp adapter keys by the phone number whenever Meta sends it, so it names the phone first.
    assert.equal(await store.resolveChatId('555', [phone, bsuid], 2_000), bsuid);
    assert.equal(await store.resolveChatId('555', [phone], 3_000), bsuid);
    assert.equal(await store.resolveChatId('555', [bsuid, phone], 4_000), bsuid);
  });

  it('links ids per account: the same ids on another account are another customer', async () => {
    const store = await open();
    const { phone, bsuid } = customer();
    assert.equal(await store.resolveChatId('555', [bsuid], 1_000), bsuid);
    assert.equal(await store.resolveChatId('555', [phone, bsuid], 2_000), bsuid);
    assert.equal(await store.resolveChatId('666', [phone], 3_000), phone);
    assert.equal(await store.resolveChatId('666', [phone, bsuid], 4_000), phone);
    assert.equal(await store.resolveChatId('555', [phone], 5_000), bsuid);
  });

  it('sends a message naming two customers-so-far to the older conversation, and never moves either', async () => {
    const store = await open();
    const { phone, bsuid } = customer();
    // Both ids came alone first (a phone-only and a BSUID-only message before any named both): two conversations.
    assert.equal(await store.resolveChatId('555', [bsuid], 1_000), bsuid);
    assert.equal(await store.resolveChatId('555', [phone], 2_000), phone);
    assert.equal(await store.resolveChatId('555', [phone, bsuid], 3_000), bsuid, 'the older record wins');
    assert.equal(await store.resolveChatId('555', [phone], 4_000), phone, 'a recorded id keeps its conversation');
    assert.equal(await store.resolveChatId('555', [bsuid], 5_000), bsuid);
  });

  it('follows a conversation begun before the alias records existed, and records the link to it', async () => {
    const store = await open();
    const { phone, bsuid } = customer();
    const account = asAccountId('555');
    const key = conversationKey(account, bsuid);
    await store.saveConversation({ conversationKey: key, accountId: account, integrationThreadId: key, generation: 0 });
    assert.equal(await store.resolveChatId('555', [phone, bsuid], 1_000), bsuid);
    assert.equal(await store.resolveChatId('555', [phone], 2_000), bsuid);
  });

  it('counts a repeated id once, resolves a single new id to itself, and refuses a list of none', async () => {
    const store = await open();
    const { phone, bsuid } = customer();
    assert.equal(await store.resolveChatId('555', [phone, bsuid, phone], 1_000), phone, 'a repeated id counts once');
    assert.equal(await store.resolveChatId('555', ['a-chat-nobody-linked'], 2_000), 'a-chat-nobody-linked');
    await assert.rejects(store.resolveChatId('555', [], 3_000), /at least one chat id/);
  });

  it('gives concurrent messages of one new customer one conversation, whichever is recorded first', async () => {
    const store = await open();
    const customers = Array.from({ length: 12 }, customer);
    const both = customers.map(({ phone, bsuid }) => store.resolveChatId('555', [phone, bsuid], Date.now()));
    const bsuidOnly = customers.map(({ bsuid }) => store.resolveChatId('555', [bsuid], Date.now()));
    const reversed = customers.map(({ phone, bsuid }) => store.resolveChatId('555', [bsuid, phone], Date.now()));
    const [a, b, c] = await Promise.all([Promise.all(both), Promise.all(bsuidOnly), Promise.all(reversed)]);
    customers.forEach(({ phone, bsuid }, i) => {
      assert.ok([phone, bsuid].includes(a[i]!), `customer ${i}: ${a[i]}`);
      assert.equal(b[i], a[i], `customer ${i}: the BSUID-only message went elsewhere`);
      assert.equal(c[i], a[i], `customer ${i}: the reversed message went elsewhere`);
    });
    for (const [i, { phone }] of customers.entries())
      assert.equal(await store.resolveChatId('555', [phone], Date.now()), a[i]);
  });
});

describe('SQLite store: chat aliases from two processes at once', () => {
  // Each process is a connection of its own, as api processes on one file are; a read-then-write transaction that did
  // not
  // take the write lock first fails here (SQLITE_BUSY on a stale snapshot) or splits a customer.
  it('gives both processes the same conversation for every customer they race on', { timeout: 60_000 }, async () => {
    const file = sqliteFile();
    const key = randomBytes(32);
    const store = openSqliteStore({ path: file, encryptionKey: key }); // migrates before the racers open it
    const customers = Array.from({ length: 300 }, customer);
    const startAt = Date.now() + 3_000;
    const race = (name: string, lists: string[][]) => {
      const listsFile = path.join(path.dirname(file), `${name}.json`);
      fs.writeFileSync(listsFile, JSON.stringify(lists));
      return promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(root, 'test/helpers/chat-alias-racer.ts'),
          file,
          key.toString('base64'),
          '555',
          String(startAt),
          listsFile,
        ],
        { cwd: root },
      );
    };
    try {
      const [one, two] = await Promise.all([
        race(
          'both',
          customers.map((c) => [c.phone, c.bsuid]),
        ),
        race(
          'bsuid-only',
          customers.map((c) => [c.bsuid]),
        ),
      ]);
      const a = JSON.parse(one.stdout) as string[];
      const b = JSON.parse(two.stdout) as string[];
      assert.equal(a.length, customers.length);
      assert.deepEqual(b, a);
      for (const [i, c] of customers.entries())
        assert.equal(await store.resolveChatId('555', [c.phone], Date.now()), a[i]);
    } finally {
      await store.close();
    }
  });
});
