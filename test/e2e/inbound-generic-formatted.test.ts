import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';

/**
 * A connector's formatted body, location and contacts → api → Temporal → worker → the HubSpot sandbox, sanitised on the
 * way.
 */
describe("inbound: a generic connector's formatted message, end to end", () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  after(() => bridge.stop());

  const publish = async (data: Record<string, unknown>) => {
    const payload = messageCreated({ threadKey: 'fmt-chat' });
    Object.assign(payload.data, data);
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200, await res.clone().text());
    const workflowId = `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
    const { hubspotMessageId } = (await bridge.client.workflow.getHandle(workflowId).result()) as {
      hubspotMessageId: string;
    };
    const published = bridge.sandboxState.messages.get(hubspotMessageId);
    assert.ok(published, 'the sandbox holds the published message');
    return published;
  };

  it('publishes the formatted body as HubSpot rich text, sanitised, beside the plain text', async () => {
    const body =
      '<p>The <b>box</b> is <i>torn</i>, see <a href="https://example.com/p/1" onclick="x()">photo</a><script>alert(1)</script></p>';
    const published = await publish({
      text: 'The box is torn, see photo (https://example.com/p/1)',
      formatted: { format: 'html', body },
    });
    assert.equal(published.text, 'The box is torn, see photo (https://example.com/p/1)');
    assert.equal(
      published.richText,
      '<p>The <b>box</b> is <i>torn</i>, see <a href="https://example.com/p/1">photo</a></p>',
    );
  });

  it('publishes a message without a formatted body as plain text only, as before', async () => {
    const published = await publish({ text: 'plain words' });
    assert.equal(published.text, 'plain words');
    assert.equal(published.richText, undefined);
  });

  it('publishes a shared location and contact card as HubSpot LOCATION and CONTACT attachments', async () => {
    const published = await publish({
      text: undefined,
      location: { latitude: 52.5163, longitude: 13.3777, name: 'Brandenburg Gate' },
      contacts: [{ name: 'Ana Souza', phones: ['+5511987654321'] }],
    });
    assert.equal(published.text, '📍 Brandenburg Gate · 52.5163, 13.3777\n👤 Ana Souza · +5511987654321');
    const attachments =
      (published as unknown as { attachments?: { type: string; latitude?: number; contactProfile?: unknown }[] })
        .attachments ?? [];
    assert.deepEqual(attachments.map((a) => a.type).sort(), ['CONTACT', 'LOCATION']);
    assert.equal(attachments.find((a) => a.type === 'LOCATION')?.latitude, 52.5163);
  });

  it('refuses a formatted body with no text beside it, with 400 and the reason', async () => {
    const payload = messageCreated();
    Object.assign(payload.data, {
      text: undefined,
      formatted: { format: 'html', body: '<b>x</b>' },
      attachments: [{ kind: 'file', contentType: 'text/plain', url: 'https://files.example.com/a.txt' }],
    });
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /text: a message with formatted needs text too/);
  });
});
