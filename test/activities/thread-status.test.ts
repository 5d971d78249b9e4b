import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createInboundActivities } from '../../packages/bridge/src/activities/inbound.js';
import { resolveInboundSettings, type ThreadPolicy } from '../../packages/bridge/src/activities/inbound-settings.js';
import { createThreadActivities } from '../../packages/bridge/src/activities/threads.js';
import { conversationKey, type ProviderMessageId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startHubSpotSandbox } from '../helpers/bridge.js';
import { describeEachStore } from '../helpers/store-backends.js';

type Sandbox = Awaited<ReturnType<typeof startHubSpotSandbox>>;
let sandbox: Sandbox;
before(async () => (sandbox = await startHubSpotSandbox()));
after(() => sandbox?.close());

const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment().run(fn, ...args) as Promise<R>;

/** The HubSpot calls the sandbox answered since `fromSeq`: thread reads and message publishes. */
function callsSince(fromSeq: number) {
  const entries = sandbox.state.ledger.filter((e) => e.seq > fromSeq);
  return {
    reads: entries.filter((e) => e.method === 'GET' && e.path.includes('/conversations/v3/conversations/threads/'))
      .length,
    publishes: entries.filter((e) => e.method === 'POST' && e.path.endsWith('/messages')).length,
  };
}
const lastSeq = () => sandbox.state.ledger.at(-1)?.seq ?? 0;

/**
 * One conversation's messages through the real activities, in the workflow's order (resolve the thread, publish,
 * record), against the sandbox over HTTP. The thread step's clock is the test's, so the window can pass at once.
 */
async function conversation(base: Store, chat: string, policy: Partial<ThreadPolicy>) {
  const { accountId } = await connectAccount({ sandbox, store: base }, 'generic', {
    signingSecret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
  });
  const hubspot = createHubSpotClient({
    baseUrl: sandbox.url,
    channelId: sandbox.channelId,
    accessTokenFor: async () => sandbox.portal.accessToken,
  });
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  // The store stamps a publish with its own clock (now) unless told when; here that clock is the test's as well.
  const store: Store = new Proxy(base, {
    get: (target, name) =>
      name === 'notePublished'
        ? (key: string, threadId: string, sentAt: string, seenAt?: string) =>
            target.notePublished(key, threadId, sentAt, seenAt ?? new Date(now()).toISOString())
        : Reflect.get(target, name),
  });
  const inbound = { threads: policy };
  const publishing = createInboundActivities({ store, hubspot, inbound });
  const threads = createThreadActivities({
    store,
    hubspot,
    threads: resolveInboundSettings(inbound).threads,
    now,
  });
  const key = conversationKey(accountId, chat);
  let count = 0;
  return {
    key,
    /** Moves the thread step's clock on, as if that much time passed before the next message. */
    wait: (ms: number) => void (offsetMs += ms),
    async send(text: string) {
      count += 1;
      const message: InboundMessage = {
        accountId,
        provider: 'generic',
        providerMessageId: `${chat}-${count}` as ProviderMessageId,
        providerChatId: chat,
        conversationKey: key,
        sender: { id: chat, name: 'Ada' },
        text,
        media: [],
        sentAt: new Date(now()).toISOString(),
      };
      const messageKey = `inbound:${accountId}:${message.providerMessageId}`;
      const thread = await run(threads.resolveInboundThread, {
        accountId,
        conversationKey: key,
        sentAt: message.sentAt,
      });
      const outcome = await run(publishing.publishInboundMessage, messageKey, message, {
        files: [],
        notes: [],
        integrationThreadId: thread.integrationThreadId,
      });
      assert.equal(outcome.outcome, 'published');
      if (outcome.outcome !== 'published') throw new Error('held');
      await run(publishing.recordInboundMapping, messageKey, message, outcome);
      return { ...thread, hubspotThreadId: outcome.hubspotThreadId };
    },
  };
}

const closeInHubSpot = async (threadId: string) =>
  assert.equal((await fetch(`${sandbox.url}/_sandbox/threads/${threadId}/close`, { method: 'POST' })).status, 200);

describeEachStore('thread status before a publish, counted in HubSpot calls', 'bridge_thread_status', (open) => {
  it('publishes messages to an open thread with one call each and no read while it was seen open within the window', async () => {
    const chat = await conversation(await open(), 'busy', { statusFreshMs: 60_000 });
    const from = lastSeq();
    const first = await chat.send('hello');
    chat.wait(20_000);
    const second = await chat.send('are you there?');
    chat.wait(20_000);
    const third = await chat.send('my order is late');
    const calls = callsSince(from);
    console.log(
      `HubSpot calls per inbound message, 60 s window: ${(calls.reads + calls.publishes) / 3} (${calls.reads} reads)`,
    );
    assert.deepEqual(calls, { reads: 0, publishes: 3 });
    assert.equal(second.hubspotThreadId, first.hubspotThreadId);
    assert.equal(third.hubspotThreadId, first.hubspotThreadId);
  });

  it('reads the thread once when the window has passed since it was last seen open, then trusts that read', async () => {
    const chat = await conversation(await open(), 'slow', { statusFreshMs: 60_000 });
    await chat.send('hello');
    chat.wait(61_000);
    let from = lastSeq();
    const later = await chat.send('a minute later');
    assert.deepEqual(callsSince(from), { reads: 1, publishes: 1 });
    assert.equal(later.newThreadReason, undefined);
    from = lastSeq();
    chat.wait(30_000);
    await chat.send('and again');
    assert.deepEqual(callsSince(from), { reads: 0, publishes: 1 });
  });

  it('starts a new thread when a read after the window finds the thread closed, and stays in it', async () => {
    const chat = await conversation(await open(), 'closing', { statusFreshMs: 60_000 });
    const first = await chat.send('before close');
    await closeInHubSpot(first.hubspotThreadId);
    chat.wait(61_000);
    const from = lastSeq();
    const second = await chat.send('after close');
    const third = await chat.send('still the new thread');
    assert.deepEqual(callsSince(from), { reads: 1, publishes: 2 }, 'the new thread is known open from its publish');
    assert.equal(second.integrationThreadId, `${chat.key}#1`);
    assert.match(second.newThreadReason ?? '', /was closed/);
    assert.notEqual(second.hubspotThreadId, first.hubspotThreadId);
    assert.equal(third.hubspotThreadId, second.hubspotThreadId);
    assert.equal(sandbox.state.threads.get(second.hubspotThreadId)?.integrationThreadId, `${chat.key}#1`);
  });

  it('misses a close inside the window: the next message keeps the integrationThreadId, and HubSpot places it', async () => {
    const chat = await conversation(await open(), 'quick-close', { statusFreshMs: 60_000 });
    const first = await chat.send('before close');
    await closeInHubSpot(first.hubspotThreadId);
    chat.wait(5_000);
    const from = lastSeq();
    const second = await chat.send('right after the close');
    assert.deepEqual(callsSince(from), { reads: 0, publishes: 1 });
    assert.equal(second.integrationThreadId, chat.key);
    // The sandbox's inferred rule (closedThreadPolicy 'new-thread'): a new HubSpot thread under the same id.
    assert.notEqual(second.hubspotThreadId, first.hubspotThreadId);
    assert.equal(sandbox.state.threads.get(first.hubspotThreadId)?.status, 'CLOSED');
  });

  it('reads before every publish with a window of 0, as before the window existed', async () => {
    const chat = await conversation(await open(), 'strict', { statusFreshMs: 0 });
    const from = lastSeq();
    await chat.send('one');
    await chat.send('two');
    await chat.send('three');
    assert.deepEqual(callsSince(from), { reads: 2, publishes: 3 }, 'the first message of a conversation reads nothing');
  });
});
