import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { asAccountId, conversationKey } from '../../packages/bridge/src/domain/ids.js';
import { openPostgresStore } from '../../packages/bridge/src/store/postgres.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { AccountWithCredentials, Store } from '../../packages/bridge/src/store/types.js';

/** Opens a store on a fresh database; the same key reopens the same data. */
interface Backend {
  readonly name: string;
  fresh(): Promise<{ open: (key: Buffer, previous?: Buffer[]) => Promise<Store>; rawText: () => Promise<string> }>;
}

const sqlite: Backend = {
  name: 'SQLite',
  async fresh() {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-backends-')), 'bridge.sqlite');
    return {
      open: async (key, previous) =>
        openSqliteStore({ path: file, encryptionKey: key, previousEncryptionKeys: previous }),
      rawText: async () =>
        ['', '-wal'].map((s) => (fs.existsSync(file + s) ? fs.readFileSync(file + s).toString('latin1') : '')).join(''),
    };
  },
};

// scripts/test.ts provisions a throwaway cluster (scripts/provision-postgres.sh) and exports its URL.
const adminUrl = process.env.BRIDGE_TEST_DATABASE_URL;
const databases: string[] = [];
const postgres: Backend = {
  name: 'PostgreSQL',
  async fresh() {
    const name = `bridge_${randomUUID().replace(/-/g, '')}`;
    const admin = new pg.Client(adminUrl);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    databases.push(name);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    return {
      open: (key, previous) =>
        openPostgresStore({ url: url.toString(), encryptionKey: key, previousEncryptionKeys: previous }),
      rawText: async () => {
        const client = new pg.Client(url.toString());
        await client.connect();
        const { rows } = await client.query('SELECT row_to_json(a)::text AS t FROM accounts a');
        await client.end();
        return rows.map((r: { t: string }) => r.t).join('\n');
      },
    };
  },
};

const account: AccountWithCredentials = {
  accountId: asAccountId('555'),
  portalId: '123',
  channelId: '1234',
  provider: 'generic',
  name: 'Support line',
  deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'support' },
  authorized: true,
  credentials: { signingSecret: 'whsec_c3VwZXItc2VjcmV0LXNpZ25pbmcta2V5' },
};

for (const backend of [sqlite, postgres]) {
  describe(
    `${backend.name} store: the behaviour every backend shares`,
    {
      skip:
        backend === postgres && !adminUrl
          ? 'BRIDGE_TEST_DATABASE_URL is not set (npm test provisions PostgreSQL)'
          : false,
    },
    () => {
      const opened: Store[] = [];
      const open = async () => {
        const db = await backend.fresh();
        const key = randomBytes(32);
        const store = await db.open(key);
        opened.push(store);
        return { store, db, key };
      };
      after(async () => {
        for (const s of opened) await s.close().catch(() => undefined);
      });

      it('round-trips an account, keeps its credentials sealed, and keeps data across a reopen (migrations run once)', async () => {
        const { store, db, key } = await open();
        await store.upsertAccount(account);
        assert.deepEqual(await store.getAccount('555'), account);
        assert.ok(
          !(await db.rawText()).includes('c3VwZXItc2VjcmV0LXNpZ25pbmcta2V5'),
          'the secret is stored in clear text',
        );
        const again = await db.open(key);
        opened.push(again);
        assert.equal((await again.getAccount('555'))?.name, 'Support line');
        assert.equal(await again.getAccount('nope'), undefined);
      });

      it('records a message mapping once and finds it by provider message id', async () => {
        const { store } = await open();
        const mapping = {
          messageKey: 'inbound:555:m-1',
          direction: 'inbound' as const,
          accountId: account.accountId,
          conversationKey: conversationKey(account.accountId, 'c'),
          providerMessageId: 'm-1',
          hubspotMessageId: 'hs-1',
          hubspotThreadId: 't-1',
        };
        await store.recordMessage(mapping);
        await store.recordMessage({ ...mapping, hubspotMessageId: 'hs-2' });
        assert.deepEqual(await store.findMessage('inbound:555:m-1'), mapping);
        assert.equal(await store.findHubSpotMessageId('555', 'm-1'), 'hs-1');
      });

      it("finds the provider message id of a published message by its HubSpot message id (a rep reply's inReplyToId)", async () => {
        const { store } = await open();
        const mapping = {
          messageKey: 'inbound:555:7113042871:41',
          direction: 'inbound' as const,
          accountId: account.accountId,
          conversationKey: conversationKey(account.accountId, '7113042871'),
          providerMessageId: '7113042871:41',
          hubspotMessageId: 'hs-41',
          hubspotThreadId: 't-1',
        };
        await store.recordMessage(mapping);
        await new Promise((resolve) => setTimeout(resolve, 5)); // a later message, not one of the same millisecond
        await store.recordMessage({
          ...mapping,
          messageKey: 'inbound:555:7113042871:42',
          providerMessageId: '7113042871:42',
          hubspotMessageId: 'hs-42',
        });
        assert.equal(await store.hasLaterMessage('555', 'hs-41'), true, 'the customer wrote again after 41');
        assert.equal(await store.hasLaterMessage('555', 'hs-42'), false, '42 is the last word');
        assert.equal(await store.hasLaterMessage('555', 'hs-unknown'), false);
        assert.equal(await store.hasLaterMessage('other-account', 'hs-41'), false);
        assert.equal(await store.findProviderMessageId('555', 'hs-41'), '7113042871:41');
        assert.equal(await store.findProviderMessageId('555', 'hs-42'), '7113042871:42');
        assert.equal(await store.findProviderMessageId('555', 'hs-unknown'), undefined, 'an unknown HubSpot message');
        assert.equal(
          await store.findProviderMessageId('other-account', 'hs-41'),
          undefined,
          "another account's message",
        );
        // How an operator finds a message by its HubSpot id once its workflow no longer sets HubSpotMessageId.
        assert.deepEqual(await store.findMessageKeys('hs-41'), ['inbound:555:7113042871:41']);
        assert.deepEqual(await store.findMessageKeys('hs-unknown'), []);
      });

      it('keeps a conversation thread and only moves lastMessageAt forward', async () => {
        const { store } = await open();
        const key = conversationKey(account.accountId, 'chat');
        await store.saveConversation({
          conversationKey: key,
          accountId: account.accountId,
          integrationThreadId: `${key}`,
          generation: 1,
        });
        await store.notePublished(key, 'thread-9', '2026-11-24T10:00:00.000Z');
        await store.notePublished(key, 'thread-9', '2026-11-24T09:00:00.000Z');
        const thread = await store.getConversation(key);
        assert.equal(thread?.hubspotThreadId, 'thread-9');
        assert.equal(thread?.lastMessageAt, '2026-11-24T10:00:00.000Z');
        assert.equal(thread?.generation, 1);
      });

      it('stages inline media bytes exactly, once, and drops them', async () => {
        const { store } = await open();
        const bytes = randomBytes(1000);
        await store.stageMedia('k', 0, { contentType: 'image/png', filename: 'a.png', bytes });
        await store.stageMedia('k', 0, { contentType: 'text/plain', bytes: Buffer.from('other') });
        assert.deepEqual(await store.getStagedMedia('k', 0), { contentType: 'image/png', filename: 'a.png', bytes });
        await store.dropStagedMedia('k');
        assert.equal(await store.getStagedMedia('k', 0), undefined);
      });

      it('hands out at most max call slots per window, even to concurrent takers, with the wait for the next', async () => {
        const { store, db, key } = await open();
        const other = await db.open(key);
        opened.push(other);
        const now = Date.now();
        const waits = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).takeCallSlot('portal-1', 4, 10_000, now)),
        );
        assert.equal(waits.filter((w) => w === 0).length, 4);
        assert.ok(waits.filter((w) => w > 0).every((w) => w <= 10_000));
        assert.equal(await store.takeCallSlot('portal-1', 4, 10_000, now + 10_001), 0, 'a new window');
      });

      it('counts a slot from when its call ended once it is re-stamped', async () => {
        const { store } = await open();
        const t = 1_800_000_000_000;
        assert.equal(await store.takeCallSlot('portal-2', 1, 10_000, t), 0);
        await store.stampCallSlot!('portal-2', t, t + 5_000);
        assert.equal(await store.takeCallSlot('portal-2', 1, 10_000, t + 10_001), 4_999);
        assert.equal(await store.takeCallSlot('portal-2', 1, 10_000, t + 15_001), 0);
      });

      it("gives a conversation's turn to one message at a time, earliest sent first, and names the next on finish", async () => {
        const { store } = await open();
        const turn = (messageKey: string, sentAt: string, conversationKey = 'a:chat') => ({
          conversationKey,
          messageKey,
          sentAt,
        });
        await store.queueInboundTurn(turn('m2', '2026-01-01T00:00:02.000Z'), 100);
        await store.queueInboundTurn(turn('m2', '2026-01-01T00:00:09.000Z'), 500); // a repeat keeps its place
        assert.equal(
          await store.claimInboundTurn(turn('m3', '2026-01-01T00:00:03.000Z'), 200),
          false,
          'm2 is ahead of m3',
        );
        assert.equal(await store.claimInboundTurn(turn('m2', '2026-01-01T00:00:02.000Z'), 300), true);
        assert.equal(
          await store.claimInboundTurn(turn('m2', '2026-01-01T00:00:02.000Z'), 300),
          true,
          'claiming again is idempotent',
        );
        assert.equal(
          await store.claimInboundTurn(turn('m1', '2026-01-01T00:00:01.000Z'), 400),
          false,
          'sent earlier, but m2 holds the turn',
        );
        assert.equal(
          await store.claimInboundTurn(turn('x1', '2026-01-01T00:00:05.000Z', 'b:chat'), 400),
          true,
          'another conversation never waits',
        );
        assert.equal(await store.finishInboundTurn('a:chat', 'm2'), 'm1');
        assert.equal(await store.claimInboundTurn(turn('m3', '2026-01-01T00:00:03.000Z'), 500), false);
        assert.equal(await store.claimInboundTurn(turn('m1', '2026-01-01T00:00:01.000Z'), 500), true);
        assert.equal(await store.finishInboundTurn('a:chat', 'm1'), 'm3');
        assert.equal(await store.finishInboundTurn('a:chat', 'm3'), undefined);
      });

      it("never hands one conversation's turn to two concurrent claimers", async () => {
        const { store } = await open();
        const at = '2026-01-01T00:00:00.000Z'; // equal send times: acceptance order, then key, decides
        const claims = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.claimInboundTurn({ conversationKey: 'c:chat', messageKey: `k${i}`, sentAt: at }, 1000 + (i % 3)),
          ),
        );
        assert.equal(claims.filter(Boolean).length, 1);
      });

      it('orders outbound replies per chat and maps provider ids to their workflow', async () => {
        const { store } = await open();
        const reply = (id: string, createdAt: string) => ({
          hubspotMessageId: id,
          workflowId: `outbound:${id}`,
          accountId: '555',
          conversationKey: '555:chat',
          createdAt,
        });
        await store.registerOutbound(reply('b', '2026-11-24T10:00:01Z'));
        await store.registerOutbound(reply('a', '2026-11-24T10:00:00Z'));
        assert.equal(await store.earlierOutbound('b', 60_000), 'a');
        assert.equal(await store.earlierOutbound('a', 60_000), undefined);
        await store.finishOutbound('a');
        assert.equal(await store.earlierOutbound('b', 60_000), undefined);
        await store.recordOutboundProviderIds('555', ['p1', 'p2'], 'outbound:b');
        await store.recordOutboundProviderIds('555', ['p1'], 'outbound:other');
        assert.equal(await store.findOutboundWorkflow('555', 'p1'), 'outbound:b');
      });

      it('sends each reply part at most once: a later attempt finds the ids, a recent unanswered one is waited out, an old one counted', async () => {
        const { store } = await open();
        assert.deepEqual(await store.beginPartSend('m1', 0, 60_000), { state: 'send', unanswered: 0 });
        const inFlight = await store.beginPartSend('m1', 0, 60_000);
        assert.equal(
          inFlight.state,
          'maybe-in-flight',
          'a retry beside an attempt that began a moment ago does not send',
        );
        assert.deepEqual(
          await store.beginPartSend('m1', 0, 0),
          { state: 'send', unanswered: 1 },
          'past the grace period the first attempt is presumed lost',
        );
        await store.recordPartSent('m1', 0, ['p1', 'p2']);
        assert.deepEqual(await store.beginPartSend('m1', 0, 0), { state: 'sent', providerMessageIds: ['p1', 'p2'] });
        assert.deepEqual(
          await store.beginPartSend('m1', 1, 60_000),
          { state: 'send', unanswered: 0 },
          'each part has its own record',
        );
        await store.recordPartRefused('m1', 1);
        assert.deepEqual(
          await store.beginPartSend('m1', 1, 60_000),
          { state: 'send', unanswered: 0 },
          'a refused attempt sent nothing',
        );
        await store.recordPartSent('m1', 1, ['p3']);
        await store.recordPartRefused('m1', 1);
        assert.deepEqual(
          await store.beginPartSend('m1', 1, 60_000),
          { state: 'sent', providerMessageIds: ['p3'] },
          'a late refusal never forgets a sent part',
        );
      });

      it('lets exactly one of several concurrent attempts at a part send', async () => {
        const { store } = await open();
        const records = await Promise.all(Array.from({ length: 6 }, () => store.beginPartSend('m2', 0, 60_000)));
        assert.deepEqual(records.map((r) => r.state).sort(), [
          'maybe-in-flight',
          'maybe-in-flight',
          'maybe-in-flight',
          'maybe-in-flight',
          'maybe-in-flight',
          'send',
        ]);
      });

      it('consumes an install state exactly once, and never an expired one', async () => {
        const { store } = await open();
        await store.rememberOAuthState('n1', new Date(Date.now() + 60_000));
        await store.rememberOAuthState('old', new Date(Date.now() - 1));
        assert.deepEqual(
          await Promise.all([store.consumeOAuthState('n1'), store.consumeOAuthState('n1')]).then((r) => r.sort()),
          [false, true],
        );
        assert.equal(await store.consumeOAuthState('old'), false);
      });

      it('keeps portal tokens sealed, marks a reinstall, and re-seals every secret after a key rotation', async () => {
        const { store, db, key } = await open();
        await store.upsertAccount(account);
        await store.savePortalTokens({
          portalId: '123',
          accessToken: 'at',
          refreshToken: 'rt',
          expiresAt: '2026-11-25T00:00:00Z',
          scopes: ['a', 'b'],
          status: 'active',
        });
        await store.markPortalReinstall('123', 'refresh token revoked');
        assert.deepEqual(await store.listPortals(), [
          {
            portalId: '123',
            expiresAt: '2026-11-25T00:00:00Z',
            status: 'reinstall',
            statusReason: 'refresh token revoked',
          },
        ]);
        const rotated = await db.open(randomBytes(32), [key]);
        opened.push(rotated);
        assert.deepEqual(await rotated.resealSecrets(), { resealed: 3, total: 3 });
        assert.equal((await rotated.getPortalTokens('123'))?.refreshToken, 'rt');
        assert.deepEqual((await rotated.getAccount('555'))?.credentials, account.credentials);
      });

      it('turns a pending connection into an account in one step, and removes it with its credentials', async () => {
        const { store } = await open();
        const connection = {
          connectionId: 'c1',
          portalId: '123',
          channelId: '1234',
          provider: 'telegram' as const,
          name: 'Bot',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID' as const, value: 'bot' },
        };
        await store.addPendingConnection(connection, { botToken: 'secret' });
        assert.equal((await store.findPendingConnection('123', 'bot'))?.connectionId, 'c1');
        await store.commitConnection('c1', {
          accountId: asAccountId('777'),
          portalId: '123',
          channelId: '1234',
          name: 'Bot',
          authorized: true,
          inboxId: 'inbox-1',
        });
        await assert.rejects(
          store.commitConnection('c1', {
            accountId: asAccountId('777'),
            portalId: '123',
            channelId: '1234',
            name: 'Bot',
            authorized: true,
            inboxId: 'inbox-1',
          }),
          /is not pending/,
        );
        assert.deepEqual((await store.getAccount('777'))?.credentials, { botToken: 'secret' });
        assert.equal((await store.findConnectionByAccount('777'))?.status, 'connected');
        await store.updateAccountState('777', { authorized: false, name: 'Bot 2', inboxId: 'inbox-2' });
        assert.deepEqual(
          (await store.listAccounts()).map((a) => [a.accountId, a.authorized, a.name, a.inboxId]),
          [['777', false, 'Bot 2', 'inbox-2']],
        );
        await store.deleteAccount('777');
        assert.equal(await store.getAccount('777'), undefined);
        assert.equal((await store.getConnection('c1'))?.status, 'removed');
      });
    },
  );
}

after(async () => {
  if (!adminUrl || databases.length === 0) return;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  for (const name of databases)
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
});
