import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { assertRequestMatches, isHubSpotApiPath } from '../helpers/hubspot-schemas.js';

/**
 * Spec conformance from the bridge's side: every request it sends the sandbox matches the project's HubSpot schemas.
 */
describe('HubSpot sandbox: what the bridge sends', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge();
  });
  after(() => bridge.stop());

  it('sends only schema-valid requests to HubSpot paths while carrying inbound messages', async () => {
    const payloads = [
      messageCreated({ threadKey: 'order-1042' }),
      messageCreated({ threadKey: 'order-1042', text: 'second' }),
      messageCreated({ threadKey: 'other' }),
    ];
    for (const payload of payloads) {
      const request = signedGenericRequest(bridge.signingSecret, payload);
      const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      assert.equal(res.status, 200);
    }
    for (const payload of payloads) {
      await bridge.client.workflow.getHandle(`inbound:${bridge.account.accountId}:${payload.data.messageId}`).result();
    }
    const entries = bridge.sandboxState.ledger;
    assert.ok(entries.filter((e) => e.method === 'POST' && e.path.endsWith('/messages')).length >= payloads.length);
    // Downloads from signed URLs are the file CDN, not the API: GETs without a body.
    for (const entry of entries.filter((e) => !(e.method === 'GET' && /^\/(signed-files|hubfs)\//.test(e.path)))) {
      assert.ok(
        isHubSpotApiPath(entry.method, entry.path),
        `the bridge called ${entry.method} ${entry.path}, which the sandbox has no schema for`,
      );
      assertRequestMatches(entry.method, entry.path, entry.body);
    }
  });
});
