import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { Admission, SHED_RETRY_AFTER_SECONDS } from '../../packages/bridge/src/api/admission.js';
import { createApp, type AppDeps } from '../../packages/bridge/src/api/app.js';
import { CatchUp } from '../../packages/bridge/src/api/catch-up.js';
import { conversationKey } from '../../packages/bridge/src/domain/ids.js';
import { accountHoldKey } from '../../packages/bridge/src/store/sequencer-types.js';
import { replyLineKey } from '../../packages/bridge/src/domain/outbound-chat.js';
import { hubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { listen, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';

const SECRET = 'shedding-test-client-secret';
const HUBSPOT_URL = 'https://bridge.example.com/webhooks/hubspot';
const SHED_AFTER_MS = 300;
const CATCH_UP_MS = 10_000;

/**
 * The store as the api sees it, with a door on the step every webhook waits on (taking its place in line): closed, the
 * webhooks let in wait there, as they would behind a slow store or Temporal. Records the catch-up holds asked for.
 */
/** A door calls wait at: open, they pass; paused, they wait until it is resumed. */
function door() {
  let open: Promise<void> = Promise.resolve();
  let openDoor = () => {};
  return {
    passed: () => open,
    pause: () => (open = new Promise((resolve) => (openDoor = resolve))),
    resume: () => openDoor(),
  };
}

function pausableStore(store: Store) {
  const { passed, pause, resume } = door();
  const held: string[] = [];
  const proxy = new Proxy(store, {
    get(target, prop) {
      if (prop === 'queueTurn')
        return async (...args: Parameters<Store['queueTurn']>) => {
          await passed();
          return target.queueTurn(...args);
        };
      if (prop === 'holdLines')
        return (...args: Parameters<Store['holdLines']>) => {
          held.push(...args[0]);
          return target.holdLines(...args);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: proxy, held, pause, resume };
}

/** The real api over the test bridge's store, Temporal and task queue, with `deps` over them; on a free port. */
async function apiOver(bridge: TestBridge, deps: Partial<AppDeps>) {
  const api = await listen(
    createApp({
      store: bridge.store,
      temporal: bridge.client,
      taskQueue: bridge.taskQueue,
      logger: createLogger('test-api', 'silent'),
      maxBodyBytes: 64 * 1024,
      checkTemporal: async () => undefined,
      ...deps,
    }),
  );
  return { url: api.url, close: () => new Promise<void>((r) => api.server.close(() => r())) };
}

/** The api with the catch-up window over a store that records (and can hold back) the lines it holds. */
async function apiOverRecordedStore(bridge: TestBridge, deps: Partial<AppDeps>) {
  const door = pausableStore(bridge.store);
  const api = await apiOver(bridge, {
    store: door.store,
    hubspotWebhook: { url: HUBSPOT_URL, clientSecret: SECRET },
    catchUp: new CatchUp(CATCH_UP_MS, door.store),
    ...deps,
  });
  return { door, ...api };
}

/**
 * Admission control (src/api/admission.ts, shed-webhook.ts) on the real api, Temporal, store and worker: a burst that
 * meets a paused dependency is shed at once with 503 and Retry-After, each shed webhook holds the lines it would have
 * joined, and once its sender retries, every message is published once, in the order the customer wrote them.
 */
describe('an overloaded api sheds webhooks', () => {
  let bridge: TestBridge;
  let door: ReturnType<typeof pausableStore>;
  let apiUrl: string;
  let closeApi: () => Promise<void>;
  const admission = new Admission({ shedAfterMs: SHED_AFTER_MS });
  /** Until `count` webhooks wait on the closed door, then as long again as the bound: the backlog is past it. */
  const backlogOf = async (count: number) => {
    await waitFor(() => (admission.size === count ? true : undefined), 10_000, `${count} webhooks in flight`);
    await new Promise((r) => setTimeout(r, SHED_AFTER_MS));
  };
  before(async () => {
    bridge = await startTestBridge();
    ({ door, url: apiUrl, close: closeApi } = await apiOverRecordedStore(bridge, { admission }));
  });
  after(async () => {
    door.resume();
    await closeApi?.();
    await bridge?.stop();
  });

  const account = () => bridge.account.accountId;
  const sent = new Map<string, number>(); // text → when the customer wrote it
  const customerMessage = (chat: string, n: number) => {
    const text = `shed ${chat} ${n}`;
    const sentAt = Date.now();
    sent.set(text, sentAt);
    const payload = messageCreated({ threadKey: chat, text, sentAt: new Date(sentAt) });
    return signedGenericRequest(bridge.signingSecret, payload, { id: `msg_${payload.data.messageId}` });
  };
  const post = async (request: { body: string; headers: Record<string, string> }) => {
    const started = Date.now();
    const res = await fetch(`${apiUrl}/webhooks/generic/${account()}`, {
      method: 'POST',
      ...request,
      signal: AbortSignal.timeout(20_000),
    });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started };
  };
  const published = () => [...bridge.sandboxState.messages.values()].map((m) => m.text).filter((t) => sent.has(t));

  it('refuses a burst 503 with Retry-After while the dependency is paused, holding only the lines it would join', async () => {
    const chats = Array.from({ length: 10 }, (_, i) => `chat-${i}-${randomUUID().slice(0, 6)}`);
    door.pause();
    // Let in while the door is closed: they wait on it, and their wait is the backlog the api measures.
    const waiting = chats.slice(0, 4).map((chat) => post(customerMessage(chat, 1)));
    await backlogOf(4);
    const burst = [
      ...chats.slice(4).map((chat) => customerMessage(chat, 1)),
      ...chats.map((chat) => customerMessage(chat, 2)),
    ];
    const shed = await Promise.all(burst.map(post));
    for (const answer of shed) {
      assert.equal(answer.status, 503);
      assert.equal(answer.retryAfter, String(SHED_RETRY_AFTER_SECONDS));
      assert.ok(answer.ms < 2_000, `shed after ${answer.ms} ms, not after the dependency`);
    }
    // A webhook that joins no line is never shed: refusing it would hold the whole account.
    const status = signedGenericRequest(bridge.signingSecret, {
      type: 'message.status',
      timestamp: new Date().toISOString(),
      data: { messageId: 'never-sent', status: 'delivered' },
    });
    assert.equal((await post(status)).status, 200);
    assert.deepEqual(
      new Set(door.held),
      new Set(chats.map((chat) => conversationKey(account(), chat))),
      "each shed message's line, and not its account's",
    );

    door.resume();
    for (const answer of await Promise.all(waiting)) assert.equal(answer.status, 200);
    // Later messages of the same conversations, accepted before the shed ones come back: the holds keep them behind.
    for (const chat of chats) assert.equal((await post(customerMessage(chat, 3))).status, 200);
    await new Promise((r) => setTimeout(r, SHED_RETRY_AFTER_SECONDS * 1000));
    for (const request of burst) assert.equal((await post(request)).status, 200, 'the retry is let in');

    await waitFor(() => (published().length >= sent.size ? true : undefined), 90_000, 'every message published');
    const texts = published();
    assert.equal(texts.length, new Set(texts).size, 'each message published once');
    assert.equal(texts.length, 30);
    for (const chat of chats) {
      assert.deepEqual(
        texts.filter((t) => t.startsWith(`shed ${chat} `)),
        [1, 2, 3].map((n) => `shed ${chat} ${n}`),
        `${chat} in the order it was written`,
      );
    }
  });

  it("sheds a rep's reply during the backlog, holding its reply line", async () => {
    door.pause();
    const waiting = [post(customerMessage(`busy-${randomUUID().slice(0, 6)}`, 1))];
    await backlogOf(1);
    waiting.push(post(customerMessage(`busy-${randomUUID().slice(0, 6)}`, 1)));
    await backlogOf(2);
    const request = {
      channelAccountId: account(),
      integrationThreadId: `${account()}:reply-chat`,
      recipients: [],
    };
    const body = JSON.stringify({
      type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
      portalId: Number(bridge.account.portalId),
      channelIntegrationThreadIds: [request.integrationThreadId],
      message: { id: randomUUID(), channelAccountId: account(), text: 'hi', recipients: [], attachments: [] },
    });
    const timestamp = String(Date.now());
    const res = await fetch(`${apiUrl}/webhooks/hubspot`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': hubSpotSignatureV3(SECRET, 'POST', HUBSPOT_URL, Buffer.from(body), timestamp),
      },
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), String(SHED_RETRY_AFTER_SECONDS));
    assert.equal(door.held.at(-1), replyLineKey(request));
    assert.ok(!door.held.includes('*'), 'nobody else is held');
    door.resume();
    for (const answer of await Promise.all(waiting)) assert.equal(answer.status, 200);
  });
});

/** The real client, whose workflow starts wait at a door: a Temporal that falls behind. */
function pausableStarts(client: Client) {
  const { passed, pause, resume } = door();
  const workflow = Object.create(client.workflow) as Client['workflow'];
  workflow.start = (async (...args: Parameters<Client['workflow']['start']>) => {
    await passed();
    return client.workflow.start(...args);
  }) as Client['workflow']['start'];
  return { client: Object.create(client, { workflow: { value: workflow } }) as Client, pause, resume };
}

/**
 * docs/INBOUND.md, "Answered before the start": the answer waits for Temporal only BRIDGE_WEBHOOK_START_WAIT_MS, yet a
 * webhook stays in flight for admission until its start is done, so a Temporal that falls behind still sheds.
 */
describe('an api that answers before slow starts', () => {
  let bridge: TestBridge;
  let starts: ReturnType<typeof pausableStarts>;
  let apiUrl: string;
  let closeApi: () => Promise<void>;
  const admission = new Admission({ shedAfterMs: SHED_AFTER_MS });
  before(async () => {
    bridge = await startTestBridge();
    starts = pausableStarts(bridge.client);
    ({ url: apiUrl, close: closeApi } = await apiOver(bridge, {
      temporal: starts.client,
      admission,
      webhookStartWaitMs: 20,
    }));
  });
  after(async () => {
    starts.resume();
    await closeApi?.();
    await bridge?.stop();
  });

  it('answers at once while Temporal is paused, sheds once those starts have waited past the bound, and publishes all it answered for', async () => {
    const chat = `slow-${randomUUID().slice(0, 6)}`;
    const texts = [1, 2, 3].map((n) => `before the start ${chat} ${n}`);
    const post = async (text: string) => {
      const payload = messageCreated({ threadKey: chat, text, sentAt: new Date() });
      const request = signedGenericRequest(bridge.signingSecret, payload, { id: `msg_${payload.data.messageId}` });
      const started = Date.now();
      const res = await fetch(`${apiUrl}/webhooks/generic/${bridge.account.accountId}`, { method: 'POST', ...request });
      await res.arrayBuffer();
      return { status: res.status, ms: Date.now() - started };
    };
    starts.pause();
    for (const text of texts.slice(0, 2)) {
      const answer = await post(text);
      assert.equal(answer.status, 200);
      assert.ok(answer.ms < 1_000, `answered after ${answer.ms} ms, not after Temporal`);
    }
    assert.equal(admission.size, 2, 'both still in flight: their starts are not done');
    await new Promise((r) => setTimeout(r, SHED_AFTER_MS * 2));
    assert.equal((await post('shed')).status, 503);
    starts.resume();
    await waitFor(() => (admission.size === 0 ? true : undefined), 10_000, 'the starts done');
    assert.equal((await post(texts[2]!)).status, 200);
    const published = () =>
      [...bridge.sandboxState.messages.values()].map((m) => m.text).filter((t) => t?.startsWith('before the start'));
    await waitFor(() => (published().length >= 3 ? true : undefined), 60_000, 'all three published');
    assert.deepEqual(published(), texts, 'once each, in order');
  });
});

/**
 * src/api/shed-unread.ts: while the event loop itself runs late (a flood waits in the kernel, unread), a webhook of a
 * provider that retries refusals is answered 503 before it is read, its account's lines held for the retry.
 */
describe('an api whose event loop runs late', () => {
  let bridge: TestBridge;
  let recorder: ReturnType<typeof pausableStore>;
  let apiUrl: string;
  let closeApi: () => Promise<void>;
  const loop = { late: 0, lateMs: () => loop.late };
  before(async () => {
    bridge = await startTestBridge();
    ({
      door: recorder,
      url: apiUrl,
      close: closeApi,
    } = await apiOverRecordedStore(bridge, { shedUnread: { loop, boundMs: 100 } }));
  });
  after(async () => {
    await closeApi?.();
    await bridge?.stop();
  });

  const postTo = async (path: string, request: { body: string; headers: Record<string, string> }) => {
    const res = await fetch(`${apiUrl}${path}`, { method: 'POST', ...request });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
  };

  it('refuses a message unread with 503 and Retry-After, holds its account, and lets the retry in once on time', async () => {
    const text = `unread ${randomUUID().slice(0, 6)}`;
    const payload = messageCreated({ threadKey: `late-${randomUUID().slice(0, 6)}`, text, sentAt: new Date() });
    const request = signedGenericRequest(bridge.signingSecret, payload, { id: `msg_${payload.data.messageId}` });
    const path = `/webhooks/generic/${bridge.account.accountId}`;

    loop.late = 400;
    const refused = await postTo(path, request);
    assert.equal(refused.status, 503);
    assert.equal(refused.retryAfter, String(SHED_RETRY_AFTER_SECONDS));
    assert.match(refused.body, /event loop runs 400 ms late/);
    await waitFor(() => (recorder.held.length > 0 ? true : undefined), 5_000, 'a hold written');
    assert.deepEqual(recorder.held, [accountHoldKey(bridge.account.accountId)], 'unread: its account, nobody else');

    loop.late = 99;
    assert.equal((await postTo(path, request)).status, 200, 'under the bound, the retry is read and let in');
    await waitFor(
      () => ([...bridge.sandboxState.messages.values()].some((m) => m.text === text) ? true : undefined),
      60_000,
      'published once its hold ends',
    );
    assert.equal([...bridge.sandboxState.messages.values()].filter((m) => m.text === text).length, 1);
  });

  it("reads what it may not refuse unread: Twilio's webhooks (no retry of a 503) and HubSpot's", async () => {
    loop.late = 400;
    const twilio = await postTo('/webhooks/twilio/AC-not-connected', {
      body: 'MessageSid=SM1&Body=hi',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(twilio.status, 404, `read, and refused for what it says: ${twilio.body}`);
    const hubspot = await postTo('/webhooks/hubspot', { body: '[]', headers: { 'content-type': 'application/json' } });
    assert.equal(hubspot.status, 401, `read, and refused for its missing signature: ${hubspot.body}`);
    loop.late = 0;
  });
});
