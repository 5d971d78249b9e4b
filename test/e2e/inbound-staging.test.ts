import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';

/** Inline generic media cannot be fetched again, so the api keeps its bytes before it answers 200. */
describe('inline media staged by the api', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge({ worker: false });
  });
  after(() => bridge.stop());

  it('stores dataBase64 bytes durably and points the workflow input at them, before acknowledging', async () => {
    const bytes = Buffer.from('inline voice note bytes');
    const payload = messageCreated({ text: 'inline' });
    const body = {
      ...payload,
      data: {
        ...payload.data,
        attachments: [
          { kind: 'image', contentType: 'image/png', url: 'http://10.0.0.1/by-url.png' },
          { kind: 'voice', contentType: 'audio/ogg', filename: 'note.ogg', dataBase64: bytes.toString('base64') },
        ],
      },
    };
    const request = signedGenericRequest(bridge.signingSecret, body);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200);
    const workflowId = `inbound:${bridge.account.accountId}:${payload.data.messageId}`;

    assert.deepEqual(await bridge.store.getStagedMedia(workflowId, 1), {
      contentType: 'audio/ogg',
      filename: 'note.ogg',
      bytes,
    });
    assert.equal(
      await bridge.store.getStagedMedia(workflowId, 0),
      undefined,
      'media with a URL is fetched later, not staged',
    );
    const history = await bridge.client.workflow.getHandle(workflowId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const input = JSON.parse(Buffer.from(started!.input!.payloads![0]!.data!).toString('utf8')) as InboundMessage;
    assert.deepEqual(
      input.media.map((m) => m.ref),
      ['http://10.0.0.1/by-url.png', 'staged:1'],
    );
    assert.ok(!JSON.stringify(input).includes(bytes.toString('base64')), 'no bytes in workflow history');
  });
});
