import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { CatchUpWindow, markDeliberateRefusal } from '../../src/api/catch-up.js';
import { startTestBridge, tempStore, type TestBridge } from '../helpers/bridge.js';
import { waitFor } from '../helpers/temporal.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';

const clock = (start = 1_000_000) => {
  const c = { now: start, read: () => c.now };
  return c;
};

describe('the catch-up window', () => {
  it('holds nothing until opened, then everything accepted until the window closes, extended by each new refusal', () => {
    const time = clock();
    const window = new CatchUpWindow(30_000, undefined, time.read);
    assert.equal(window.holdUntil(), undefined);
    window.open('a webhook was answered 503');
    assert.equal(window.holdUntil(), 1_030_000);
    time.now += 10_000;
    window.open('a webhook was answered 503');
    assert.equal(window.holdUntil(), 1_040_000);
    time.now = 1_040_000;
    assert.equal(window.holdUntil(), undefined, 'closed once the window has passed');
  });

  it('never opens when BRIDGE_CATCH_UP_SECONDS is 0', () => {
    const window = new CatchUpWindow(0);
    window.open('a webhook was answered 503');
    assert.equal(window.holdUntil(), undefined);
  });

  it('opens when an api starts after no api was alive for a while, and not on a first start, a handover or beside fresh senders', async () => {
    const { store } = tempStore();
    try {
      const time = clock();
      const first = new CatchUpWindow(30_000, undefined, time.read);
      (await first.watchPresence(store))();
      assert.equal(first.holdUntil(), undefined, 'the first api on a store has nobody to catch up with');
      time.now += 1_500;
      const handover = new CatchUpWindow(30_000, undefined, time.read);
      (await handover.watchPresence(store))();
      assert.equal(handover.holdUntil(), undefined, 'another api was alive a moment ago');
      time.now += 20_000;
      const afterOutage = new CatchUpWindow(30_000, undefined, time.read);
      (await afterOutage.watchPresence(store))();
      assert.equal(afterOutage.holdUntil(), time.now + 30_000, '20 s without an api: the senders are retrying');
      assert.equal(await store.apiLastAlive(), time.now);
      time.now += 20_000;
      const withFreshSenders = new CatchUpWindow(30_000, undefined, time.read);
      (await withFreshSenders.watchPresence(store, { afterSilence: false }))();
      assert.equal(withFreshSenders.holdUntil(), undefined, "npm start's sandbox: the senders start with the api, nothing pending");
    } finally {
      await store.close();
    }
  });

  it('opens on a 503 answer to a webhook, and not on a 4xx, a 500, a deliberate refusal or on other paths', async () => {
    const window = new CatchUpWindow(30_000);
    const app = express();
    app.use(window.refusalWatcher());
    app.post('/webhooks/pending/:id', (_req, res) => {
      markDeliberateRefusal(res, 'connection pending');
      res.sendStatus(503);
    });
    app.post('/webhooks/:status', (req, res) => void res.sendStatus(Number(req.params.status)));
    app.get('/readyz', (_req, res) => void res.sendStatus(503));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const status of [400, 401, 413, 422, 500]) await fetch(`${base}/webhooks/${status}`, { method: 'POST' });
      await fetch(`${base}/readyz`);
      // A connection HubSpot has not created yet is refused on purpose: nobody else's messages wait for it.
      const pending = await fetch(`${base}/webhooks/pending/conn_1`, { method: 'POST' });
      assert.equal(pending.status, 503);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(window.holdUntil(), undefined);
      await fetch(`${base}/webhooks/503`, { method: 'POST' });
      await waitFor(() => window.holdUntil(), 5_000, 'the window opened');
    } finally {
      server.close();
    }
  });
});

describe('a conversation whose sender retried out of order during a catch-up', () => {
  let bridge: TestBridge;
  const window = new CatchUpWindow(4_000);
  before(async () => {
    bridge = await startTestBridge({ catchUp: window });
  });
  after(() => bridge.stop());

  const post = (payload: ReturnType<typeof messageCreated>) => {
    const { body, headers } = signedGenericRequest(bridge.signingSecret, payload);
    return fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, { method: 'POST', headers, body });
  };
  const published = (threadKey: string) => [...bridge.sandboxState.messages.values()].filter((m) => m.text.startsWith(`${threadKey} `)).map((m) => m.text);
  const input = async (messageId: string) => {
    const history = await bridge.client.workflow.getHandle(`inbound:${bridge.account.accountId}:${messageId}`).fetchHistory();
    const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    return payloads.map((p) => JSON.parse(Buffer.from(p.data ?? []).toString()) as Record<string, unknown>);
  };

  it('is published in the order the customer sent it, though the later message arrived first', async () => {
    const sent = Date.now() - 10_000;
    const first = messageCreated({ threadKey: 'late-retry', text: 'late-retry 1 my order did not arrive', sentAt: new Date(sent) });
    const second = messageCreated({ threadKey: 'late-retry', text: 'late-retry 2 it was due on Monday', sentAt: new Date(sent + 2_000) });
    window.open('a webhook was answered 503');
    assert.equal((await post(second)).status, 200);
    await new Promise((r) => setTimeout(r, 1_000)); // the sender's retry of the first message comes later
    assert.equal((await post(first)).status, 200);
    await waitFor(() => (published('late-retry').length === 2 ? true : undefined), 60_000, 'both messages published');
    assert.deepEqual(published('late-retry'), ['late-retry 1 my order did not arrive', 'late-retry 2 it was due on Monday']);
    assert.equal(typeof (await input(second.data.messageId))[1]?.holdUntil, 'number', 'the workflow input carries the hold');
  });

  it('holds nothing once the senders have caught up', async () => {
    await waitFor(() => (window.holdUntil() === undefined ? true : undefined), 10_000, 'the window closed');
    const message = messageCreated({ threadKey: 'calm', text: 'calm 1 thanks!' });
    assert.equal((await post(message)).status, 200);
    await waitFor(() => (published('calm').length === 1 ? true : undefined), 60_000, 'published');
    assert.equal((await input(message.data.messageId))[1]?.holdUntil, undefined);
  });
});
