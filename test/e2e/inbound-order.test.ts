import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { SAMPLES } from '../helpers/whatsapp-media.js';

type Published = { hubspotMessageId: string };

/** Messages of one conversation reach HubSpot in the order the customer sent them; conversations never wait on each other. */
describe('inbound order', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  after(() => bridge.stop());

  const send = async (payload: { data: { messageId: string } }) => {
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, { method: 'POST', headers: request.headers, body: request.body });
    assert.equal(res.status, 200);
    return `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
  };
  const withImage = (payload: ReturnType<typeof messageCreated>) => ({
    ...payload,
    data: { ...payload.data, attachments: [{ kind: 'image', contentType: 'image/png', dataBase64: SAMPLES.png().toString('base64') }] },
  });
  const result = (workflowId: string) => bridge.client.workflow.getHandle(workflowId).result() as Promise<Published>;
  /** Position of a message in HubSpot's creation order. */
  const position = (hubspotMessageId: string) => [...bridge.sandboxState.messages.keys()].indexOf(hubspotMessageId);
  const fault = (body: Record<string, unknown>) =>
    fetch(`${bridge.sandbox.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('publishes a text after a slowly uploaded photo sent before it, while another conversation goes ahead', async () => {
    assert.equal((await fault({ kind: 'latency', latencyMs: 3_000, pathContains: '/files/v3/files', count: 1 })).status, 201);
    const started = Date.now();
    const photo = await send(withImage(messageCreated({ threadKey: 'slow-chat', text: 'photo first' })));
    const text = await send(messageCreated({ threadKey: 'slow-chat', text: 'text second' }));
    const other = await send(messageCreated({ threadKey: 'other-chat', text: 'another customer' }));

    const otherDone = await result(other);
    const otherMs = Date.now() - started;
    const [photoDone, textDone] = await Promise.all([result(photo), result(text)]);
    const allMs = Date.now() - started;

    assert.ok(position(photoDone.hubspotMessageId) < position(textDone.hubspotMessageId), 'the photo is published before the text');
    assert.ok(position(otherDone.hubspotMessageId) < position(photoDone.hubspotMessageId), 'the other conversation did not wait for the upload');
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
    const texts = done.sort((a, b) => position(a.hubspotMessageId) - position(b.hubspotMessageId)).map((d) => bridge.sandboxState.messages.get(d.hubspotMessageId)!.text);
    assert.deepEqual(texts, payloads.map((_, i) => `burst ${i}`));
  });

  it('lets the conversation workflow go idle and come back for the next message', async () => {
    const id = await send(messageCreated({ threadKey: 'burst-chat', text: 'later' }));
    await result(id);
    const conversation = await bridge.client.workflow.getHandle(`conversation:${bridge.account.accountId}:burst-chat`).describe();
    assert.equal(conversation.type, 'conversationWorkflow');
  });
});

describe('conversation workflow continue-as-new', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  after(() => bridge.stop());

  it('carries its queue through continue-as-new and keeps the order', async () => {
    const conversationKey = `${bridge.account.accountId}:long-chat`;
    // Started ahead of the messages with a tiny turn budget, so every second turn continues as new.
    await bridge.client.workflow.start('conversationWorkflow', {
      workflowId: `conversation:${conversationKey}`,
      taskQueue: bridge.taskQueue,
      args: [{ conversationKey, maxTurnsPerRun: 2 }],
    });
    const payloads = Array.from({ length: 7 }, (_, i) => messageCreated({ threadKey: 'long-chat', text: `long ${i}` }));
    for (const p of payloads) {
      const request = signedGenericRequest(bridge.signingSecret, p);
      const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, { method: 'POST', headers: request.headers, body: request.body });
      assert.equal(res.status, 200);
    }
    const done = (await Promise.all(payloads.map((p) => bridge.client.workflow.getHandle(`inbound:${bridge.account.accountId}:${p.data.messageId}`).result()))) as Published[];
    const order = [...bridge.sandboxState.messages.keys()];
    const texts = done.sort((a, b) => order.indexOf(a.hubspotMessageId) - order.indexOf(b.hubspotMessageId)).map((d) => bridge.sandboxState.messages.get(d.hubspotMessageId)!.text);
    assert.deepEqual(texts, payloads.map((_, i) => `long ${i}`));
    let runs = 0;
    for await (const _ of bridge.client.workflow.list({ query: `WorkflowId = "conversation:${conversationKey}"` })) runs += 1;
    assert.ok(runs >= 3, `the conversation continued as new (${runs} runs)`);
  });
});
