import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../packages/bridge/src/activities/index.js';
import { createPortalPacer, MAX_IN_STEP_PACING_MS } from '../../packages/bridge/src/activities/rate-limit.js';
import { ErrorType } from '../../packages/bridge/src/domain/errors.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createChannelAccountsClient } from '../../packages/bridge/src/hubspot/channel-accounts.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { createHubSpotOutboundClient } from '../../packages/bridge/src/hubspot/status.js';
import type { MessageEgg } from '../../packages/bridge/src/hubspot/types.js';
import { openPostgresStore } from '../../packages/bridge/src/store/postgres.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';
import { testDatabases } from '../helpers/test-databases.js';

/** Two handles on one store stand for two worker processes: the limiter's state must live in the store to be shared. */
interface Backend {
  readonly name: string;
  readonly skip: string | false;
  twoWorkers(): Promise<[Store, Store]>;
}

const databases = testDatabases('portal_limiter');
const key = randomBytes(32);
const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    skip: false,
    async twoWorkers() {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portal-limiter-')), 'bridge.sqlite');
      return [openSqliteStore({ path: file, encryptionKey: key }), openSqliteStore({ path: file, encryptionKey: key })];
    },
  },
  {
    name: 'PostgreSQL',
    skip: process.env.BRIDGE_TEST_DATABASE_URL
      ? false
      : 'BRIDGE_TEST_DATABASE_URL is not set (npm test provisions PostgreSQL)',
    async twoWorkers() {
      const url = await databases.create();
      const first = await openPostgresStore({ url, encryptionKey: key });
      return [first, await openPostgresStore({ url, encryptionKey: key })];
    },
  },
];
after(() => databases.dropAll());

// A 1x1 PNG: the reply's file, checked by its bytes when it is planned.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Long enough that a full window is waited out inside the step (half of it is the in-step budget). */
const inActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000 }).run(fn, ...args) as Promise<R>;

const setSandboxLimit = (hs: Sandbox, limit: { max: number; intervalMs: number }) => {
  (hs.state.options as { rateLimit: { max: number; intervalMs: number } }).rateLimit = limit;
  hs.state.rateWindows.clear();
};

/** The most calls the sandbox accepted in any `windowMs` (what its own limiter counts). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let busiest = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= windowMs) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  return busiest;
}

for (const backend of BACKENDS) {
  describe(
    `${backend.name}: every HubSpot call of a portal goes through the portal's one limiter`,
    { skip: backend.skip },
    () => {
      let hs: Sandbox;
      let channelId: string;
      let accountId: string;
      let stores: [Store, Store];
      const messageIds: string[] = [];
      const fileIds: string[] = [];

      before(async () => {
        hs = await startSandbox({ rateLimit: { max: 1_000, intervalMs: 1_000 } });
        channelId = (await hs.registerChannel()).id;
        accountId = (await hs.createAccount(channelId)).id;
        stores = await backend.twoWorkers();
        await stores[0].upsertAccount({
          accountId: asAccountId(accountId),
          portalId: hs.portal.portalId,
          channelId,
          provider: 'telegram',
          name: 'Bot',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot' },
          authorized: true,
          credentials: { botToken: '123:abc', secretToken: 'secret' },
        });
        const hubspot = clients().hubspot;
        for (let i = 0; i < 10; i++)
          messageIds.push(
            (await hubspot.publishMessage(hs.portal.portalId, hs.incoming(accountId) as unknown as MessageEgg)).id,
          );
        for (let i = 0; i < 3; i++) {
          const body = new Blob([PNG]).stream() as ReadableStream<Uint8Array>;
          fileIds.push(
            (
              await hubspot.uploadFile(hs.portal.portalId, {
                fileName: `photo-${i}.png`,
                contentType: 'image/png',
                body,
                folderPath: '/limiter-test',
              })
            ).id,
          );
        }
      });
      after(async () => {
        for (const store of stores ?? []) await store.close();
        await hs?.close();
      });

      function clients() {
        const options = { baseUrl: hs.url, channelId, accessTokenFor: async () => hs.portal.accessToken };
        return {
          hubspot: createHubSpotClient(options),
          hubspotOutbound: createHubSpotOutboundClient(options),
          channelAccounts: createChannelAccountsClient(options),
        };
      }
      /** One worker's activities, as src/worker.ts builds them: the real clients, the limit from the config. */
      const worker = (store: Store, rateLimit: { max: number; intervalMs: number }) =>
        createActivities({ store, ...clients(), inbound: { rateLimit } });
      const status = (messageId: string) => ({ portalId: hs.portal.portalId, channelId, hubspotMessageId: messageId });
      const plan = (files: readonly string[]) => ({
        portalId: hs.portal.portalId,
        accountId,
        deadline: Date.now() + 60_000,
        text: { text: 'Here it is' },
        files: files.map((fileId) => ({ fileId, usageType: 'IMAGE' })),
      });
      const callsSince = (seq: number) =>
        hs.state.ledger.filter(
          (e) => e.seq > seq && e.portalId === hs.portal.portalId && !e.path.startsWith('/signed-files'),
        );
      const lastSeq = () => hs.state.ledger.length;

      it('keeps the longer of two holds, and hands no slot of the held key to any worker while it lasts', async () => {
        const t = 1_900_000_000_000;
        await stores[0].holdCalls('hubspot:held', t + 5_000);
        await stores[0].holdCalls('hubspot:held', t + 1_000);
        assert.equal(
          await stores[1].takeCallSlot('hubspot:held', 10, 10_000, t),
          5_000,
          'the other worker sees the hold',
        );
        assert.equal(await stores[1].takeCallSlot('hubspot:held', 10, 10_000, t + 4_000), 1_000);
        assert.equal(await stores[1].takeCallSlot('hubspot:other', 10, 10_000, t), 0, 'another portal is not held');
        assert.equal(await stores[0].takeCallSlot('hubspot:held', 10, 10_000, t + 5_000), 0, 'the hold is over');
      });

      it('paces outbound status writes, reply file downloads and account reads of two workers together: no 429', async () => {
        const limit = { max: 5, intervalMs: 1_000 };
        setSandboxLimit(hs, limit);
        const [a, b] = [worker(stores[0], limit), worker(stores[1], limit)];
        const from = lastSeq();
        const started = Date.now();
        await Promise.all([
          ...messageIds
            .slice(0, 8)
            .map((id, i) => inActivity((i % 2 ? a : b).reportOutboundStatus, status(id), 'SENT')),
          inActivity(a.planOutboundReply, plan(fileIds.slice(0, 2))),
          inActivity(b.planOutboundReply, plan(fileIds.slice(1, 3))),
          inActivity(a.syncChannelAccount, hs.portal.portalId, accountId),
          inActivity(b.syncChannelAccount, hs.portal.portalId, accountId),
        ]);
        const calls = callsSince(from);
        assert.equal(calls.length, 14, '8 status writes, 4 signed-URL reads, 2 account reads');
        assert.deepEqual(
          calls.filter((c) => c.status === 429),
          [],
          'HubSpot refused none',
        );
        assert.ok(
          calls.filter((c) => c.method === 'GET' && c.path.endsWith('/signed-url')).length === 4,
          'the downloads went through HubSpot',
        );
        assert.ok(
          busiestWindow(
            calls.map((c) => Date.parse(c.at)),
            limit.intervalMs,
          ) <= limit.max,
          'never more than the limit in a window',
        );
        assert.ok(
          Date.now() - started >= 2 * limit.intervalMs,
          '14 calls at 5 a window take at least two more windows',
        );
      });

      it("holds every caller of the portal, in every worker, until a 429's Retry-After has passed", async () => {
        // HubSpot's limit is tighter than the bridge believes (another app's calls, a lowered limit): the sandbox
        // answers
        // the third call with 429 and a Retry-After of 3 s.
        setSandboxLimit(hs, { max: 2, intervalMs: 3_000 });
        const generous = { max: 100, intervalMs: 10_000 };
        const [a, b] = [worker(stores[0], generous), worker(stores[1], generous)];
        const from = lastSeq();
        await inActivity(a.reportOutboundStatus, status(messageIds[0]!), 'SENT');
        await inActivity(a.reportOutboundStatus, status(messageIds[1]!), 'SENT');
        await assert.rejects(inActivity(a.reportOutboundStatus, status(messageIds[2]!), 'SENT'), (error: unknown) => {
          // The fallback is kept: the activity's own retry waits the same Retry-After.
          assert.ok(error instanceof ApplicationFailure);
          assert.equal(error.type, ErrorType.RateLimited);
          assert.equal(error.nextRetryDelay, '3s');
          return true;
        });
        const refused = callsSince(from).find((c) => c.status === 429)!;
        const retryAfterMs = 3_000;
        // The other app stops: from now on only the hold can keep a caller back.
        (hs.state.options as { rateLimit: { max: number; intervalMs: number } }).rateLimit = {
          max: 1_000,
          intervalMs: 1_000,
        };
        // The other worker's download and status write, and this worker's next call, all wait for the hold.
        await Promise.all([
          inActivity(b.planOutboundReply, plan([fileIds[0]!])),
          inActivity(b.reportOutboundStatus, status(messageIds[3]!), 'READ'),
          inActivity(a.syncChannelAccount, hs.portal.portalId, accountId),
        ]);
        const later = callsSince(refused.seq);
        assert.equal(later.length, 3);
        assert.deepEqual(
          later.filter((c) => c.status === 429),
          [],
          'nobody called into the refusal again',
        );
        const firstAfter = Math.min(...later.map((c) => Date.parse(c.at)));
        assert.ok(
          firstAfter - Date.parse(refused.at) >= retryAfterMs - 5,
          `the next call came ${firstAfter - Date.parse(refused.at)} ms after the 429`,
        );
      });

      it("holds the portal for an injected 429's Retry-After too, whichever call met it", async () => {
        setSandboxLimit(hs, { max: 1_000, intervalMs: 1_000 });
        const generous = { max: 100, intervalMs: 10_000 };
        const [a, b] = [worker(stores[0], generous), worker(stores[1], generous)];
        await hs.call('POST', '/_sandbox/faults', {
          json: { kind: 'rate-limit', pathContains: '/signed-url', count: 1 },
        });
        const from = lastSeq();
        await assert.rejects(
          inActivity(a.planOutboundReply, plan([fileIds[2]!])),
          (error: unknown) => error instanceof ApplicationFailure && error.type === ErrorType.RateLimited,
        );
        const refused = callsSince(from).find((c) => c.status === 429)!;
        await inActivity(b.reportOutboundStatus, status(messageIds[4]!), 'SENT');
        const next = callsSince(refused.seq)[0]!;
        assert.equal(next.status, 200);
        assert.ok(Date.parse(next.at) - Date.parse(refused.at) >= 1_000 - 5, 'the fault said Retry-After: 1');
      });
    },
  );
}

describe('the limiter inside a local activity', () => {
  it('hands a wait longer than the step can afford back to Temporal as the retry delay, calling nothing', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portal-limiter-')), 'bridge.sqlite');
    const store = openSqliteStore({ path: file, encryptionKey: key });
    try {
      const pace = createPortalPacer(store, { max: 1, intervalMs: 10_000 });
      await pace('p9', async () => 'first');
      let called = false;
      const local = new MockActivityEnvironment({ isLocal: true, startToCloseTimeoutMs: 60_000 });
      await assert.rejects(
        local.run(() => pace('p9', async () => (called = true))),
        (error: unknown) => {
          assert.ok(error instanceof ApplicationFailure && error.type === ErrorType.RateLimited);
          assert.ok(
            Number(error.nextRetryDelay) > MAX_IN_STEP_PACING_MS,
            `handed back with ${String(error.nextRetryDelay)} ms`,
          );
          return true;
        },
      );
      assert.equal(called, false);
    } finally {
      await store.close();
    }
  });
});
