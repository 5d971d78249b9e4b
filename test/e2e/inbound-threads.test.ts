import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';

type Published = { hubspotMessageId: string; hubspotThreadId: string };

function sender(bridge: TestBridge) {
  return async (payload: ReturnType<typeof messageCreated>, sentAt?: Date) => {
    const body = sentAt ? { ...payload, data: { ...payload.data, sentAt: sentAt.toISOString() } } : payload;
    const request = signedGenericRequest(bridge.signingSecret, body);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200);
    return `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
  };
}

describe('thread policy: INTEGRATION_THREAD_ID channel', () => {
  let bridge: TestBridge;
  let send: ReturnType<typeof sender>;
  before(async () => {
    // A 1 s window: a close is seen by the first message more than 1 s after the thread was last seen open.
    bridge = await startTestBridge({
      inbound: { inbound: { threads: { newThreadAfterIdleMs: 5 * 60_000, statusFreshMs: 1_000 } } },
    });
    send = sender(bridge);
  });
  after(() => bridge.stop());
  const result = (id: string) => bridge.client.workflow.getHandle(id).result() as Promise<Published>;
  const integrationThreadIdOf = (threadId: string) => bridge.sandboxState.threads.get(threadId)?.integrationThreadId;

  it('starts a new thread with a new integrationThreadId after the rep closed the HubSpot thread, and stays in it', async () => {
    const key = `${bridge.account.accountId}:closing-chat`;
    const first = await result(await send(messageCreated({ threadKey: 'closing-chat', text: 'before close' })));
    assert.equal(integrationThreadIdOf(first.hubspotThreadId), key);
    const closed = await fetch(`${bridge.sandbox.url}/_sandbox/threads/${first.hubspotThreadId}/close`, {
      method: 'POST',
    });
    assert.equal(closed.status, 200);
    await setTimeout(1_100);

    const reads = () => bridge.sandboxState.ledger.filter((e) => e.method === 'GET' && e.path.includes('/threads/'));
    const readsBefore = reads().length;
    const second = await result(await send(messageCreated({ threadKey: 'closing-chat', text: 'after close' })));
    const third = await result(await send(messageCreated({ threadKey: 'closing-chat', text: 'still the new thread' })));
    assert.notEqual(second.hubspotThreadId, first.hubspotThreadId);
    assert.equal(integrationThreadIdOf(second.hubspotThreadId), `${key}#1`);
    assert.equal(third.hubspotThreadId, second.hubspotThreadId);
    assert.equal(
      reads().length - readsBefore,
      1,
      'the new thread is known open from its publish: the third reads nothing',
    );
    assert.equal(
      bridge.sandboxState.threads.get(first.hubspotThreadId)?.status,
      'CLOSED',
      'the closed thread stays closed',
    );
    assert.deepEqual(await bridge.store.getConversation(key).then((c) => [c?.generation, c?.hubspotThreadId]), [
      1,
      second.hubspotThreadId,
    ]);
  });

  it('starts a new thread when the conversation was idle longer than the policy allows', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const old = await result(await send(messageCreated({ threadKey: 'idle-chat', text: 'long ago' }), tenMinutesAgo));
    const recent = await result(await send(messageCreated({ threadKey: 'idle-chat', text: 'today' })));
    const soon = await result(
      await send(messageCreated({ threadKey: 'idle-chat', text: 'a minute later' }), new Date(Date.now() + 60_000)),
    );
    assert.notEqual(recent.hubspotThreadId, old.hubspotThreadId);
    assert.equal(soon.hubspotThreadId, recent.hubspotThreadId);
  });
});

describe('thread policy: DELIVERY_IDENTIFIER channel', () => {
  let bridge: TestBridge;
  let send: ReturnType<typeof sender>;
  before(async () => {
    bridge = await startTestBridge({ inbound: { inbound: { threads: { model: 'DELIVERY_IDENTIFIER' } } } });
    send = sender(bridge);
  });
  after(() => bridge.stop());

  it("ends in a visible failed state with HubSpot's reason when HubSpot refuses the message (validation error)", async () => {
    // The channel is still INTEGRATION_THREAD_ID, so HubSpot refuses a message without integrationThreadId.
    const id = await send(messageCreated({ threadKey: 'di-chat', text: 'refused' }));
    const handle = bridge.client.workflow.getHandle(id);
    await assert.rejects(handle.result(), (error: Error & { cause?: { message?: string; type?: string } }) => {
      assert.match(error.cause?.message ?? '', /HubSpot answered 400: .*integrationThreadId.*\(VALIDATION_ERROR\)/);
      return true;
    });
    assert.equal((await handle.describe()).typedSearchAttributes.get(StatusKey), 'FAILED');
    const publishes = bridge.sandboxState.ledger.filter((e) => e.method === 'POST' && e.path.endsWith('/messages'));
    assert.deepEqual(
      publishes.map((e) => e.status),
      [400],
      'a validation error is not retried',
    );
  });

  it('sends no integrationThreadId and lets HubSpot thread by the customer', async () => {
    const { state, url, channelId } = bridge.sandbox;
    const patched = await fetch(
      `${url}/conversations/v3/custom-channels/${channelId}?hapikey=${state.app.developerApiKey}&appId=${state.app.appId}`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          capabilities: {
            threadingModel: 'DELIVERY_IDENTIFIER',
            deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
          },
        }),
      },
    );
    assert.equal(patched.status, 200, await patched.text());
    const a = (await bridge.client.workflow
      .getHandle(await send(messageCreated({ threadKey: 'di-chat-2', text: 'one' })))
      .result()) as Published;
    const b = (await bridge.client.workflow
      .getHandle(await send(messageCreated({ threadKey: 'di-chat-2', text: 'two' })))
      .result()) as Published;
    assert.equal(a.hubspotThreadId, b.hubspotThreadId);
    const bodies = bridge.sandboxState.ledger
      .filter((e) => e.method === 'POST' && e.path.endsWith('/messages') && e.status === 201)
      .map((e) => e.body as Record<string, unknown>);
    assert.ok(bodies.length >= 2 && bodies.every((body) => !('integrationThreadId' in body)));
  });
});
