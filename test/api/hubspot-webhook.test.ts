import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { createApp } from '../../src/api/app.js';
import { HubSpotMessageIdKey, StatusKey } from '../../src/domain/search-attributes.js';
import { hubSpotSignatureV3 } from '../../src/hubspot/signature.js';
import { createLogger } from '../../src/logger.js';
import { listen, tempStore } from '../helpers/bridge.js';
import { connectClient } from '../helpers/temporal.js';

const SECRET = 'sandbox-client-secret';
// What HubSpot called: the public URL, not the loopback address the api listens on.
const PUBLIC_WEBHOOK_URL = 'https://bridge.example.com/webhooks/hubspot';

function outgoing(messageId = randomUUID(), overrides: Record<string, unknown> = {}) {
  return {
    type: 'OUTGOING_CHANNEL_MESSAGE_CREATED', eventId: randomUUID(), portalId: 243842089, channelId: '1234',
    channelIntegrationThreadIds: ['987654:55501'],
    message: {
      id: messageId, type: 'MESSAGE', direction: 'OUTGOING', channelId: '1234', channelAccountId: '987654', createdAt: new Date().toISOString(),
      recipients: [{ actorId: 'V-1', deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+15551234567' } }],
      text: 'Checking now', richText: '<p>Checking <b>now</b></p>', attachments: [{ type: 'FILE', fileId: '188888888', fileUsageType: 'OTHER', name: 'label.pdf' }],
    },
    ...overrides,
  };
}

function signed(body: string, { url = PUBLIC_WEBHOOK_URL, secret = SECRET, timestamp = Date.now() } = {}) {
  return {
    'content-type': 'application/json',
    'x-hubspot-request-timestamp': String(timestamp),
    'x-hubspot-signature-v3': hubSpotSignatureV3(secret, 'POST', url, Buffer.from(body), String(timestamp)),
  };
}

describe('POST /webhooks/hubspot', () => {
  let apiUrl: string;
  let client: Client;
  let closeAll: () => Promise<void>;
  before(async () => {
    const { store } = tempStore();
    const temporal = await connectClient();
    client = temporal.client;
    const app = createApp({
      store, temporal: client, taskQueue: `hubspot-webhook-${randomUUID()}`, logger: createLogger('t', 'silent'), maxBodyBytes: 65536,
      checkTemporal: () => temporal.connection.healthService.check({}),
      hubspotWebhook: { url: PUBLIC_WEBHOOK_URL, clientSecret: SECRET },
    });
    const api = await listen(app);
    apiUrl = api.url;
    closeAll = async () => {
      await new Promise<void>((r) => api.server.close(() => r()));
      await temporal.close();
      await store.close();
    };
  });
  after(async () => closeAll?.());

  const post = (body: string, headers: Record<string, string>) => fetch(`${apiUrl}/webhooks/hubspot`, { method: 'POST', headers, body });
  const exists = async (messageId: string) => {
    try {
      return await client.workflow.getHandle(`outbound:${messageId}`).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  };

  it('starts outbound:{messageId} with its search attributes and answers 200 once the start is durable', async () => {
    const id = randomUUID();
    const body = JSON.stringify(outgoing(id));
    const res = await post(body, signed(body));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, accepted: [{ workflowId: `outbound:${id}`, duplicate: false }] });
    const described = await exists(id);
    assert.equal(described?.typedSearchAttributes.get(HubSpotMessageIdKey), id);
    assert.equal(described?.typedSearchAttributes.get(StatusKey), 'ACCEPTED');
  });

  it('absorbs a redelivery (re-signed, as HubSpot retries) without starting anything new', async () => {
    const id = randomUUID();
    const body = JSON.stringify(outgoing(id));
    assert.equal((await post(body, signed(body))).status, 200);
    const again = await post(body, signed(body, { timestamp: Date.now() + 1 }));
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { ok: true, accepted: [{ workflowId: `outbound:${id}`, duplicate: true }] });
  });

  it('accepts an array of events and starts each', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const body = JSON.stringify([outgoing(a), outgoing(b)]);
    assert.equal((await post(body, signed(body))).status, 200);
    assert.ok(await exists(a));
    assert.ok(await exists(b));
  });

  it('acknowledges unknown event types and account events with a 2xx, starting nothing', async () => {
    const body = JSON.stringify([{ type: 'SOMETHING_NEW', eventId: 'e1' }, { type: 'CHANNEL_ACCOUNT_UPDATED', channelAccountId: '987654', portalId: 1 }]);
    const res = await post(body, signed(body));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, accepted: [] });
  });

  it('refuses a forged signature with 401 and starts nothing', async () => {
    const id = randomUUID();
    const body = JSON.stringify(outgoing(id));
    const forged = await post(body, signed(body, { secret: 'not-the-client-secret' }));
    assert.equal(forged.status, 401);
    assert.match(((await forged.json()) as { error: string }).error, /signature rejected: signature does not match/);
    const tampered = await post(body.replace('Checking now', 'Send me your password'), signed(body));
    assert.equal(tampered.status, 401);
    assert.equal(await exists(id), undefined);
  });

  it('refuses a request signed for another URL than the public one (a proxy rewrite) with 401', async () => {
    const id = randomUUID();
    const body = JSON.stringify(outgoing(id));
    const res = await post(body, signed(body, { url: `${apiUrl}/webhooks/hubspot` }));
    assert.equal(res.status, 401);
    assert.equal(await exists(id), undefined);
  });

  it('refuses a stale request (timestamp older than 5 minutes) with 401, however well signed', async () => {
    const id = randomUUID();
    const body = JSON.stringify(outgoing(id));
    const res = await post(body, signed(body, { timestamp: Date.now() - 6 * 60_000 }));
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { error: string }).error, /more than 5 minutes/);
    assert.equal(await exists(id), undefined);
  });

  it('refuses a replay of an exact request with 401, and a replay never starts a second workflow', async () => {
    const id = randomUUID();
    const body = JSON.stringify(outgoing(id));
    const headers = signed(body);
    assert.equal((await post(body, headers)).status, 200);
    const replay = await post(body, headers);
    assert.equal(replay.status, 401);
    assert.match(((await replay.json()) as { error: string }).error, /replay/);
  });

  it('refuses missing headers with 401 and a malformed event with 400', async () => {
    const body = JSON.stringify(outgoing());
    assert.equal((await post(body, { 'content-type': 'application/json' })).status, 401);
    const bad = JSON.stringify({ type: 'OUTGOING_CHANNEL_MESSAGE_CREATED', portalId: 1, message: { text: 'no id' } });
    const res = await post(bad, signed(bad));
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /message\.id/);
  });

  it('answers 503 when Temporal is unreachable, so HubSpot retries', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1 second' });
    const app = createApp({
      store: tempStore().store, temporal: new Client({ connection }), taskQueue: 'nowhere', logger: createLogger('t', 'silent'), maxBodyBytes: 65536,
      checkTemporal: async () => undefined, hubspotWebhook: { url: PUBLIC_WEBHOOK_URL, clientSecret: SECRET },
    });
    const down = await listen(app);
    try {
      const body = JSON.stringify(outgoing());
      const res = await fetch(`${down.url}/webhooks/hubspot`, { method: 'POST', headers: signed(body), body });
      assert.equal(res.status, 503);
    } finally {
      await new Promise<void>((r) => down.server.close(() => r()));
    }
  });
});
