import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { SAMPLES } from '../helpers/whatsapp-media.js';

type Published = { hubspotMessageId: string };

/** HubSpot failing in every way the sandbox can inject: each message is still published exactly once. */
describe('inbound under HubSpot faults', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  afterEach(() => fetch(`${bridge.sandbox.url}/_sandbox/faults`, { method: 'DELETE' }));
  after(() => bridge.stop());

  const send = async (payload: ReturnType<typeof messageCreated> | Record<string, unknown>) => {
    const request = signedGenericRequest(bridge.signingSecret, payload);
    return fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
  };
  const key = (payload: ReturnType<typeof messageCreated>) =>
    `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
  const result = (workflowId: string) => bridge.client.workflow.getHandle(workflowId).result() as Promise<Published>;
  const copies = (workflowId: string) =>
    [...bridge.sandboxState.messages.values()].filter((m) => m.integrationIdempotencyId === workflowId);
  const publishAttempts = (workflowId: string) =>
    bridge.sandboxState.ledger.filter(
      (e) =>
        e.method === 'POST' &&
        e.path.endsWith('/messages') &&
        (e.body as { integrationIdempotencyId?: string })?.integrationIdempotencyId === workflowId,
    );
  const fault = async (body: Record<string, unknown>) => {
    const res = await fetch(`${bridge.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201);
  };

  it('retries 5xx answers and publishes once', async () => {
    await fault({ kind: 'status', status: 503, pathContains: '/messages', method: 'POST', count: 2 });
    const payload = messageCreated({ text: 'through two 503s' });
    await send(payload);
    const done = await result(key(payload));
    assert.equal(copies(key(payload)).length, 1);
    assert.equal(copies(key(payload))[0]?.id, done.hubspotMessageId);
    assert.deepEqual(
      publishAttempts(key(payload)).map((e) => e.status),
      [503, 503, 201],
    );
  });

  it('waits out a 429 (Retry-After) and publishes once', async () => {
    await fault({ kind: 'rate-limit', pathContains: '/messages', method: 'POST', count: 1 });
    const payload = messageCreated({ text: 'after a 429' });
    await send(payload);
    await result(key(payload));
    const attempts = publishAttempts(key(payload));
    assert.deepEqual(
      attempts.map((e) => e.status),
      [429, 201],
    );
    assert.ok(Date.parse(attempts[1]!.at) - Date.parse(attempts[0]!.at) >= 900, 'the retry came after Retry-After: 1');
    assert.equal(copies(key(payload)).length, 1);
  });

  it('does not create a second message when HubSpot accepted but the answer was lost', async () => {
    await fault({ kind: 'timeout-after-accept', pathContains: '/messages', method: 'POST', count: 1 });
    const payload = messageCreated({ text: 'accepted, answer lost' });
    await send(payload);
    const done = await result(key(payload));
    const attempts = publishAttempts(key(payload));
    assert.equal(attempts[0]?.fault, 'timeout-after-accept');
    assert.ok(attempts.length >= 2, 'the publish was retried with the same integrationIdempotencyId');
    assert.equal(copies(key(payload)).length, 1);
    assert.equal(copies(key(payload))[0]?.id, done.hubspotMessageId, 'the retry got the first message back');
  });

  it('retries a dropped connection during the file upload and attaches the file once', async () => {
    await fault({ kind: 'drop', pathContains: '/files/v3/files', count: 1 });
    const payload = messageCreated({ text: 'photo through a drop' });
    await send({
      ...payload,
      data: {
        ...payload.data,
        attachments: [{ kind: 'image', contentType: 'image/png', dataBase64: SAMPLES.png().toString('base64') }],
      },
    });
    const done = await result(key(payload));
    const message = bridge.sandboxState.messages.get(done.hubspotMessageId)!;
    assert.deepEqual(
      message.attachments.map((a) => a.fileUsageType),
      ['IMAGE'],
    );
  });

  it('keeps one file when HubSpot Files stored the upload but the answer was lost', async () => {
    await fault({ kind: 'timeout-after-accept', pathContains: '/files/v3/files', count: 1 });
    const payload = messageCreated({ text: 'photo, upload answer lost' });
    await send({
      ...payload,
      data: {
        ...payload.data,
        attachments: [{ kind: 'image', contentType: 'image/png', dataBase64: SAMPLES.png().toString('base64') }],
      },
    });
    const done = await result(key(payload));
    const uploads = bridge.sandboxState.ledger.filter((e) => e.method === 'POST' && e.path === '/files/v3/files');
    assert.ok(uploads.some((e) => e.fault === 'timeout-after-accept'));
    const folder = `${key(payload).replace(/[^A-Za-z0-9._-]/g, '_')}-0`;
    const stored = [...bridge.sandboxState.files.values()].filter((f) => f.path.includes(folder));
    assert.equal(stored.length, 1, 'the retry found the file the first try stored');
    assert.equal(bridge.sandboxState.messages.get(done.hubspotMessageId)?.attachments[0]?.fileId, stored[0]?.id);
  });

  it('publishes every message of a burst exactly once while 30% of publishes fail with 502', async () => {
    await fault({ kind: 'status', status: 502, pathContains: '/messages', method: 'POST', share: 0.3 });
    const payloads = Array.from({ length: 10 }, (_, i) =>
      messageCreated({ threadKey: `flaky-${i % 3}`, text: `flaky ${i}` }),
    );
    for (const p of payloads) assert.equal((await send(p)).status, 200);
    await Promise.all(payloads.map((p) => result(key(p))));
    for (const p of payloads) assert.equal(copies(key(p)).length, 1);
  });

  it('absorbs a webhook delivered 5 times, also concurrently: one workflow, one HubSpot message', async () => {
    const payload = messageCreated({ text: 'delivered five times' });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        send(payload).then((r) => r.json() as Promise<{ accepted: { duplicate: boolean }[] }>),
      ),
    );
    assert.equal(answers.filter((a) => a.accepted[0]?.duplicate === false).length, 1);
    await result(key(payload));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(copies(key(payload)).length, 1);
    assert.equal(publishAttempts(key(payload)).length, 1);
  });
});

describe('inbound pacing per portal', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge({ inbound: { inbound: { rateLimit: { max: 8, intervalMs: 2_000 } } } });
    (bridge.sandboxState.options as { rateLimit: { max: number; intervalMs: number } }).rateLimit = {
      max: 8,
      intervalMs: 2_000,
    };
    // Setting up the account used the same portal budget, outside the bridge's pacing: let that window pass.
    await new Promise((r) => setTimeout(r, 2_100));
  });
  after(() => bridge.stop());

  it('drains a backlog at the limit, without a single 429', async () => {
    const payloads = Array.from({ length: 24 }, (_, i) =>
      messageCreated({ threadKey: `backlog-${i}`, text: `backlog ${i}` }),
    );
    const started = Date.now();
    await Promise.all(
      payloads.map(async (p) => {
        const request = signedGenericRequest(bridge.signingSecret, p);
        const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        assert.equal(res.status, 200);
      }),
    );
    await Promise.all(
      payloads.map((p) =>
        bridge.client.workflow.getHandle(`inbound:${bridge.account.accountId}:${p.data.messageId}`).result(),
      ),
    );
    const elapsed = Date.now() - started;
    const calls = bridge.sandboxState.ledger.filter((e) => !e.path.startsWith('/_sandbox'));
    assert.equal(calls.filter((e) => e.status === 429).length, 0, 'no call was refused');
    assert.equal(calls.filter((e) => e.method === 'POST' && e.path.endsWith('/messages')).length, 24);
    // 24 publishes at 8 per 2 s need at least two full windows after the first.
    assert.ok(elapsed >= 4_000, `drained in ${elapsed} ms, faster than the limit allows`);
  });
});
