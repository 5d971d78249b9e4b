import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { createApiMetrics, type ApiMetrics } from '../../packages/bridge/src/metrics/api-metrics.js';
import { HubSpotMessageIdKey, StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { hubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { listen, tempStore } from '../helpers/bridge.js';
import { connectClient } from '../helpers/temporal.js';

const SECRET = 'sandbox-client-secret';
// What HubSpot called: the public URL, not the loopback address the api listens on.
const PUBLIC_WEBHOOK_URL = 'https://bridge.example.com/webhooks/hubspot';

function outgoing(messageId = randomUUID(), overrides: Record<string, unknown> = {}) {
  return {
    type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
    eventId: randomUUID(),
    portalId: 243842089,
    channelId: '1234',
    channelIntegrationThreadIds: ['987654:55501'],
    message: {
      id: messageId,
      type: 'MESSAGE',
      direction: 'OUTGOING',
      channelId: '1234',
      channelAccountId: '987654',
      createdAt: new Date().toISOString(),
      recipients: [{ actorId: 'V-1', deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+15551234567' } }],
      text: 'Checking now',
      richText: '<p>Checking <b>now</b></p>',
      attachments: [{ type: 'FILE', fileId: '188888888', fileUsageType: 'OTHER', name: 'label.pdf' }],
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
  let metrics: ApiMetrics;
  const deadLettered = async (type: string) =>
    (await metrics.deadLettered.get()).values.find((v) => v.labels.type === type)?.value ?? 0;
  before(async () => {
    const { store } = tempStore();
    const temporal = await connectClient();
    client = temporal.client;
    metrics = createApiMetrics(client);
    const app = createApp({
      metrics,
      store,
      temporal: client,
      taskQueue: `hubspot-webhook-${randomUUID()}`,
      logger: createLogger('t', 'silent'),
      maxBodyBytes: 65536,
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

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${apiUrl}/webhooks/hubspot`, { method: 'POST', headers, body });
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

  it('acknowledges unknown event types with a 2xx, starting nothing', async () => {
    const body = JSON.stringify([{ type: 'SOMETHING_NEW', eventId: 'e1' }]);
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

  it('absorbs a byte-identical redelivery (same signature and timestamp) as a duplicate, never a second workflow', async () => {
    const id = randomUUID();
    const body = JSON.stringify(outgoing(id));
    const headers = signed(body);
    assert.equal((await post(body, headers)).status, 200);
    const again = await post(body, headers);
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { ok: true, accepted: [{ workflowId: `outbound:${id}`, duplicate: true }] });
  });

  it('refuses missing headers with 401', async () => {
    const body = JSON.stringify(outgoing());
    assert.equal((await post(body, { 'content-type': 'application/json' })).status, 401);
  });

  it('dead-letters a malformed outgoing event (logged and counted), answering 2xx so the rest of the batch goes on', async () => {
    const id = randomUUID();
    const body = JSON.stringify([
      { type: 'OUTGOING_CHANNEL_MESSAGE_CREATED', eventId: 'bad-1', portalId: 1, message: { text: 'no id' } },
      outgoing(id),
    ]);
    const before = await deadLettered('OUTGOING_CHANNEL_MESSAGE_CREATED');
    const res = await post(body, signed(body));
    assert.equal(res.status, 200);
    const answer = (await res.json()) as {
      accepted: unknown[];
      deadLettered: { type: string; eventId: string; reason: string }[];
    };
    assert.deepEqual(answer.accepted, [{ workflowId: `outbound:${id}`, duplicate: false }]);
    assert.deepEqual(
      answer.deadLettered.map((d) => [d.type, d.eventId]),
      [['OUTGOING_CHANNEL_MESSAGE_CREATED', 'bad-1']],
    );
    assert.match(answer.deadLettered[0]!.reason, /message\.id/);
    assert.equal(await deadLettered('OUTGOING_CHANNEL_MESSAGE_CREATED'), before + 1);
  });

  it('takes an outgoing event whose ids are strings or numbers, and whose account id is only at the top level', async () => {
    const id = randomUUID();
    const event = outgoing(id, { portalId: '243842089', channelAccountId: 987654 });
    delete (event.message as Record<string, unknown>).channelAccountId;
    const body = JSON.stringify(event);
    const res = await post(body, signed(body));
    assert.equal(res.status, 200);
    assert.ok(await exists(id));
  });

  it('takes an outgoing event whose type is under eventType', async () => {
    const id = randomUUID();
    const { type, ...rest } = outgoing(id);
    const body = JSON.stringify({ eventType: type, ...rest });
    const res = await post(body, signed(body));
    assert.deepEqual(await res.json(), { ok: true, accepted: [{ workflowId: `outbound:${id}`, duplicate: false }] });
  });

  describe('account events in every form seen in public code', () => {
    const accountWorkflow = async (accountId: string) => {
      try {
        return await client.workflow.getHandle(`account:${accountId}`).describe();
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }
    };
    const accountId = () => String(Math.floor(Math.random() * 1e12));
    const forms: [string, (id: string) => Record<string, unknown>][] = [
      [
        'numeric top-level ids',
        (id) => ({ type: 'CHANNEL_ACCOUNT_UPDATED', portalId: 243842089, channelAccountId: Number(id) }),
      ],
      ['string ids', (id) => ({ type: 'CHANNEL_ACCOUNT_CREATED', portalId: '243842089', channelAccountId: id })],
      [
        'objectId for the account',
        (id) => ({ type: 'CHANNEL_ACCOUNT_UPDATED', portalId: 243842089, objectId: Number(id) }),
      ],
      [
        'ids nested in channelAccount',
        (id) => ({ type: 'CHANNEL_ACCOUNT_PURGED', channelAccount: { id, portalId: 243842089 } }),
      ],
      [
        'eventType instead of type',
        (id) => ({ eventType: 'CHANNEL_ACCOUNT_UPDATED', portalId: 243842089, channelAccountId: id }),
      ],
    ];
    for (const [form, make] of forms) {
      it(`starts the account's workflow for ${form}`, async () => {
        const id = accountId();
        const body = JSON.stringify({ eventId: randomUUID(), ...make(id) });
        const res = await post(body, signed(body));
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { deadLettered?: unknown }).deadLettered, undefined);
        assert.ok(await accountWorkflow(id), `account:${id} started`);
      });
    }

    it('dead-letters an account event without usable ids, and an event without any type, counting each', async () => {
      const before = [await deadLettered('CHANNEL_ACCOUNT_UPDATED'), await deadLettered('unusable')];
      const body = JSON.stringify([
        { type: 'CHANNEL_ACCOUNT_UPDATED', eventId: 'no-ids', portalId: 1, channelAccountId: 'not-a-number' },
        { eventId: 'no-type', portalId: 1, channelAccountId: 2 },
      ]);
      const res = await post(body, signed(body));
      assert.equal(res.status, 200);
      const answer = (await res.json()) as { deadLettered: { type: string; eventId: string }[] };
      assert.deepEqual(
        answer.deadLettered.map((d) => [d.type, d.eventId]),
        [
          ['CHANNEL_ACCOUNT_UPDATED', 'no-ids'],
          ['unusable', 'no-type'],
        ],
      );
      assert.deepEqual(
        [await deadLettered('CHANNEL_ACCOUNT_UPDATED'), await deadLettered('unusable')],
        [before[0]! + 1, before[1]! + 1],
      );
      assert.equal(await accountWorkflow('2'), undefined);
    });
  });

  it('answers 503 when Temporal is unreachable, and the same bytes sent again once it is back start the work', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1 second' });
    const app = createApp({
      store: tempStore().store,
      temporal: new Client({ connection }),
      taskQueue: 'nowhere',
      logger: createLogger('t', 'silent'),
      maxBodyBytes: 65536,
      checkTemporal: async () => undefined,
      hubspotWebhook: { url: PUBLIC_WEBHOOK_URL, clientSecret: SECRET },
    });
    const down = await listen(app);
    try {
      const id = randomUUID();
      const body = JSON.stringify(outgoing(id));
      const headers = signed(body);
      const res = await fetch(`${down.url}/webhooks/hubspot`, { method: 'POST', headers, body });
      assert.equal(res.status, 503);
      const retried = await post(body, headers);
      assert.equal(retried.status, 200);
      assert.ok(await exists(id));
    } finally {
      await new Promise<void>((r) => down.server.close(() => r()));
    }
  });
});
