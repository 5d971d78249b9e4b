import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { SAMPLES } from '../helpers/whatsapp-media.js';

type Published = { hubspotMessageId: string };

/**
 * Messages of one conversation reach HubSpot in the order the customer sent them; conversations never wait on each
 * other.
 */
describe('inbound order', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  after(() => bridge.stop());

  const send = async (payload: { data: { messageId: string } }) => {
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200);
    return `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
  };
  const withImage = (payload: ReturnType<typeof messageCreated>) => ({
    ...payload,
    data: {
      ...payload.data,
      attachments: [{ kind: 'image', contentType: 'image/png', dataBase64: SAMPLES.png().toString('base64') }],
    },
  });
  const result = (workflowId: string) => bridge.client.workflow.getHandle(workflowId).result() as Promise<Published>;
  /** Position of a message in HubSpot's creation order. */
  const position = (hubspotMessageId: string) => [...bridge.sandboxState.messages.keys()].indexOf(hubspotMessageId);
  const fault = (body: Record<string, unknown>) =>
    fetch(`${bridge.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('publishes a text after a slowly uploaded photo sent before it, while another conversation goes ahead', async () => {
    assert.equal(
      (await fault({ kind: 'latency', latencyMs: 3_000, pathContains: '/files/v3/files', count: 1 })).status,
      201,
    );
    const started = Date.now();
    const photo = await send(withImage(messageCreated({ threadKey: 'slow-chat', text: 'photo first' })));
    const text = await send(messageCreated({ threadKey: 'slow-chat', text: 'text second' }));
    const other = await send(messageCreated({ threadKey: 'other-chat', text: 'another customer' }));

    const otherDone = await result(other);
    const otherMs = Date.now() - started;
    const [photoDone, textDone] = await Promise.all([result(photo), result(text)]);
    const allMs = Date.now() - started;

    assert.ok(
      position(photoDone.hubspotMessageId) < position(textDone.hubspotMessageId),
      'the photo is published before the text',
    );
    assert.ok(
      position(otherDone.hubspotMessageId) < position(photoDone.hubspotMessageId),
      'the other conversation did not wait for the upload',
    );
    assert.ok(otherMs < allMs, `the other conversation (${otherMs} ms) finished before the slow one (${allMs} ms)`);
    assert.ok(allMs >= 3_000, 'the upload really was slow');
  });

  it('keeps the order of a burst of mixed messages in one conversation', async () => {
    const payloads = Array.from({ length: 8 }, (_, i) => {
      const p = messageCreated({ threadKey: 'burst-chat', text: `burst ${i}` });
      return i % 3 === 0 ? withImage(p) : p;
    });
    const ids: string[] = [];
    for (const p of payloads) ids.push(await send(p));
    const done = await Promise.all(ids.map(result));
    const texts = done
      .sort((a, b) => position(a.hubspotMessageId) - position(b.hubspotMessageId))
      .map((d) => bridge.sandboxState.messages.get(d.hubspotMessageId)!.text);
    assert.deepEqual(
      texts,
      payloads.map((_, i) => `burst ${i}`),
    );
  });

  it("frees the conversation's turn once its messages are published", async () => {
    await result(await send(messageCreated({ threadKey: 'burst-chat', text: 'later' })));
    const probe = {
      lineKey: `${bridge.account.accountId}:burst-chat`,
      messageKey: 'probe',
      orderAt: new Date().toISOString(),
      accountId: bridge.account.accountId,
    };
    assert.deepEqual(
      await bridge.store.claimTurn(probe, Date.now()),
      { granted: true },
      'nobody holds the turn and nothing waits',
    );
    assert.equal(await bridge.store.finishTurn(probe.lineKey, 'probe'), undefined);
  });

  it('steps over a message that ended while waiting in line, without waiting for a recheck', async () => {
    assert.equal(
      (await fault({ kind: 'latency', latencyMs: 2_000, pathContains: '/messages', method: 'POST', count: 1 })).status,
      201,
    );
    const started = Date.now();
    const first = await send(messageCreated({ threadKey: 'dead-chat', text: 'first' }));
    // A message terminated by an operator while queued: its place in line stays, with no workflow to wake.
    const conversationKey = `${bridge.account.accountId}:dead-chat`;
    await bridge.store.queueInboundTurn(
      { conversationKey, messageKey: `inbound:${bridge.account.accountId}:gone`, sentAt: new Date().toISOString() },
      Date.now(),
    );
    const second = await send(messageCreated({ threadKey: 'dead-chat', text: 'second' }));
    const [a, b] = await Promise.all([result(first), result(second)]);
    assert.ok(position(a.hubspotMessageId) < position(b.hubspotMessageId));
    assert.ok(Date.now() - started < 30_000, 'the second did not wait for the one-minute recheck');
  });
});
