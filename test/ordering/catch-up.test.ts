import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { CatchUp, markDeliberateRefusal } from '../../packages/bridge/src/api/catch-up.js';
import {
  accountHoldKey,
  EVERYONE_HOLD_KEY,
  type SequencerStore,
} from '../../packages/bridge/src/store/sequencer-types.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { startTestBridge, tempStore, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';

/** docs/ORDERING.md, "Catch-up": which refusals hold which lines, in the store every api process shares. */
const clock = (start = 1_000_000) => {
  const c = { now: start, read: () => c.now };
  return c;
};

/** The hold a claim in this line of this account would meet now, read through the store's own claim. */
async function holdOn(store: Store, lineKey: string, accountId: string, nowMs: number): Promise<number | undefined> {
  const claim = await store.claimTurn(
    { lineKey, messageKey: `probe-${Math.random()}`, orderAt: new Date(nowMs).toISOString(), accountId },
    nowMs,
  );
  return claim.granted ? undefined : claim.holdUntilMs;
}

async function serve(app: express.Express) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('which refusals hold which lines', () => {
  const stores: Store[] = [];
  after(async () => {
    for (const store of stores) await store.close();
  });
  const fresh = () => {
    const { store } = tempStore();
    stores.push(store);
    return store;
  };

  it('holds the one line a refused webhook would have joined, and no other line or account', async () => {
    const store = fresh();
    const time = clock(Date.now());
    const catchUp = new CatchUp(30_000, store, undefined, time.read);
    const app = express();
    app.use(catchUp.refusalWatcher());
    app.post('/webhooks/generic/acct-1', async (_req, res) => {
      // As the api's start wrapper does when Temporal refuses the start (src/api/app.ts).
      await catchUp.refusedLine('acct-1:chat-a', 'Temporal is unavailable');
      res.sendStatus(503);
    });
    const { base, close } = await serve(app);
    try {
      assert.equal((await fetch(`${base}/webhooks/generic/acct-1`, { method: 'POST' })).status, 503);
      assert.equal(await holdOn(store, 'acct-1:chat-a', 'acct-1', time.now), time.now + 30_000);
      assert.equal(
        await holdOn(store, 'acct-1:chat-b', 'acct-1', time.now),
        undefined,
        'another conversation of the same account',
      );
      assert.equal(
        await holdOn(store, 'reply:acct-1:chat-a', 'acct-1', time.now),
        undefined,
        'the replies to the same conversation',
      );
    } finally {
      close();
    }
  });

  it("holds a refused sender's account when the refusal came before the webhook was understood, and everyone only when no account is known", async () => {
    const store = fresh();
    const time = clock(Date.now());
    const catchUp = new CatchUp(30_000, store, undefined, time.read);
    const app = express();
    app.use(catchUp.refusalWatcher());
    app.post('/webhooks/:provider/:accountId', (_req, res) => void res.sendStatus(503));
    app.post('/webhooks/hubspot', (_req, res) => void res.sendStatus(503));
    const { base, close } = await serve(app);
    try {
      await fetch(`${base}/webhooks/telegram/acct-7`, { method: 'POST' });
      await waitFor(async () => holdOn(store, 'acct-7:chat', 'acct-7', time.now), 5_000, "the account's hold");
      assert.equal(await holdOn(store, 'acct-8:chat', 'acct-8', time.now), undefined, 'another account is not held');
      await fetch(`${base}/webhooks/hubspot`, { method: 'POST' });
      await waitFor(async () => holdOn(store, 'acct-8:chat', 'acct-8', time.now), 5_000, "everyone's hold");
    } finally {
      close();
    }
  });

  it('holds nothing for a 4xx, a 500, a deliberate refusal (a connection HubSpot has not created yet) or another path', async () => {
    const store = fresh();
    const catchUp = new CatchUp(30_000, store);
    const app = express();
    app.use(catchUp.refusalWatcher());
    app.post('/webhooks/pending/:id', (_req, res) => {
      markDeliberateRefusal(res, 'connection pending');
      res.sendStatus(503);
    });
    app.post('/webhooks/status/:status', (req, res) => void res.sendStatus(Number(req.params.status)));
    app.get('/readyz', (_req, res) => void res.sendStatus(503));
    const { base, close } = await serve(app);
    try {
      for (const status of [400, 401, 413, 422, 500])
        await fetch(`${base}/webhooks/status/${status}`, { method: 'POST' });
      await fetch(`${base}/readyz`);
      assert.equal((await fetch(`${base}/webhooks/pending/conn_1`, { method: 'POST' })).status, 503);
      await new Promise((r) => setTimeout(r, 200));
      for (const [line, account] of [
        ['conn_1:x', 'conn_1'],
        ['status:x', 'status'],
        ['anyone:x', 'anyone'],
      ] as const) {
        assert.equal(await holdOn(store, line, account, Date.now()), undefined, `${line} is not held`);
      }
    } finally {
      close();
    }
  });

  it('holds everyone when an api starts after no api was alive for a while, and not on a first start, a handover or beside fresh senders', async () => {
    const store = fresh();
    const time = clock(Date.now());
    const start = async (options?: { afterSilence: boolean }) =>
      (await new CatchUp(30_000, store, undefined, time.read).watchPresence(options))();
    await start();
    assert.equal(
      await holdOn(store, 'a:1', 'a', time.now),
      undefined,
      'the first api on a store has nobody to catch up with',
    );
    time.now += 1_500;
    await start();
    assert.equal(await holdOn(store, 'a:1', 'a', time.now), undefined, 'another api was alive a moment ago');
    time.now += 20_000;
    await start({ afterSilence: false });
    assert.equal(
      await holdOn(store, 'a:1', 'a', time.now),
      undefined,
      "npm start's sandbox: the senders start with the api, nothing pending",
    );
    time.now += 20_000;
    await start();
    assert.equal(
      await holdOn(store, 'a:1', 'a', time.now),
      time.now + 30_000,
      '20 s without an api: every sender is retrying',
    );
  });

  it('keeps a hold the store could not take (it was down) and writes it once the store is back', async () => {
    const store = fresh();
    let down = true;
    const flaky: Pick<SequencerStore, 'holdLines'> & Pick<Store, 'markApiAlive' | 'apiLastAlive'> = {
      holdLines: (keys, until, now) =>
        down ? Promise.reject(new Error('SQLITE_BUSY')) : store.holdLines(keys, until, now),
      markApiAlive: (ms) => store.markApiAlive(ms),
      apiLastAlive: () => store.apiLastAlive(),
    };
    const catchUp = new CatchUp(30_000, flaky);
    await catchUp.hold(['acct-1:chat-down'], 'a webhook was answered 503');
    assert.equal(await holdOn(store, 'acct-1:chat-down', 'acct-1', Date.now()), undefined);
    down = false;
    await catchUp.flush();
    assert.ok(
      (await holdOn(store, 'acct-1:chat-down', 'acct-1', Date.now())) !== undefined,
      'held once the store took it',
    );
  });

  it('never holds when BRIDGE_CATCH_UP_SECONDS is 0', async () => {
    const store = fresh();
    await new CatchUp(0, store).hold([EVERYONE_HOLD_KEY, accountHoldKey('a')], 'a webhook was answered 503');
    assert.equal(await holdOn(store, 'a:1', 'a', Date.now()), undefined);
  });
});

describe('a conversation whose sender retried out of order', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge({ catchUpMs: 4_000 });
  });
  after(() => bridge.stop());

  const post = (payload: ReturnType<typeof messageCreated>) => {
    const { body, headers } = signedGenericRequest(bridge.signingSecret, payload);
    return fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, { method: 'POST', headers, body });
  };
  const published = (threadKey: string) =>
    [...bridge.sandboxState.messages.values()].filter((m) => m.text.startsWith(`${threadKey} `)).map((m) => m.text);

  it('is published in the order the customer sent it, though the later message arrived first, while other conversations go on at once', async () => {
    const sent = Date.now() - 10_000;
    const first = messageCreated({
      threadKey: 'late-retry',
      text: 'late-retry 1 my order did not arrive',
      sentAt: new Date(sent),
    });
    const second = messageCreated({
      threadKey: 'late-retry',
      text: 'late-retry 2 it was due on Monday',
      sentAt: new Date(sent + 2_000),
    });
    // The first message was refused (its line is held), its sender will retry it; the second comes meanwhile.
    await bridge.catchUp!.hold([`${bridge.account.accountId}:late-retry`], 'a webhook was answered 503');
    assert.equal((await post(second)).status, 200);
    assert.equal((await post(messageCreated({ threadKey: 'unrelated', text: 'unrelated 1 hello' }))).status, 200);
    await waitFor(
      () => (published('unrelated').length === 1 ? true : undefined),
      30_000,
      'another conversation is not held',
    );
    assert.deepEqual(published('late-retry'), [], 'the held line waits for the retry');
    assert.equal((await post(first)).status, 200);
    await waitFor(() => (published('late-retry').length === 2 ? true : undefined), 60_000, 'both messages published');
    assert.deepEqual(published('late-retry'), [
      'late-retry 1 my order did not arrive',
      'late-retry 2 it was due on Monday',
    ]);
  });
});
