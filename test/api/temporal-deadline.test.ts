import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { TEMPORAL_DEADLINE_MS, withinDeadline } from '../../packages/bridge/src/api/temporal-deadline.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { hubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { signedGenericRequest, messageCreated } from '../helpers/generic-sender.js';
import { listen, tempStore } from '../helpers/bridge.js';

const SECRET = 'sandbox-client-secret';
const WEBHOOK_URL = 'https://bridge.example.com/webhooks/hubspot';
const SIGNING = `whsec_${Buffer.from('temporal deadline test secret 32').toString('base64')}`;

/**
 * Temporal restarting (nothing listens on its port): the client would retry each call for about 15 s, past every
 * sender's timeout. The api gives up at its deadline and answers 503, so the sender retries later.
 */
describe('webhooks while Temporal is unreachable', () => {
  let apiUrl: string;
  let close: () => Promise<void>;
  before(async () => {
    const { store } = tempStore();
    await store.upsertAccount({
      accountId: asAccountId('777001'),
      portalId: '1',
      channelId: '1234',
      provider: 'generic',
      name: 'g',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'g' },
      authorized: true,
      credentials: { signingSecret: SIGNING, callbackUrl: 'http://127.0.0.1:9/cb' },
    });
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1 second' });
    const app = createApp({
      store,
      temporal: new Client({ connection }),
      taskQueue: 'nowhere',
      logger: createLogger('t', 'silent'),
      maxBodyBytes: 65536,
      checkTemporal: async () => undefined,
      hubspotWebhook: { url: WEBHOOK_URL, clientSecret: SECRET },
    });
    const api = await listen(app);
    apiUrl = api.url;
    close = async () => {
      await new Promise<void>((r) => api.server.close(() => r()));
      await store.close();
    };
  });
  after(() => close?.());

  const timed = async (request: Promise<Response>) => {
    const started = Date.now();
    const res = await request;
    return { status: res.status, ms: Date.now() - started };
  };

  it('answers a customer message 503 within the deadline', async () => {
    const request = signedGenericRequest(SIGNING, messageCreated());
    const answer = await timed(
      fetch(`${apiUrl}/webhooks/generic/777001`, { method: 'POST', headers: request.headers, body: request.body }),
    );
    assert.equal(answer.status, 503);
    assert.ok(answer.ms < TEMPORAL_DEADLINE_MS + 2_000, `answered after ${answer.ms} ms`);
  });

  it('answers a rep reply 503 within the deadline', async () => {
    const body = JSON.stringify({
      type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
      portalId: 1,
      channelIntegrationThreadIds: ['777001:c'],
      message: { id: randomUUID(), channelAccountId: '777001', text: 'hi', recipients: [], attachments: [] },
    });
    const timestamp = String(Date.now());
    const headers = {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': hubSpotSignatureV3(SECRET, 'POST', WEBHOOK_URL, Buffer.from(body), timestamp),
    };
    const answer = await timed(fetch(`${apiUrl}/webhooks/hubspot`, { method: 'POST', headers, body }));
    assert.equal(answer.status, 503);
    assert.ok(answer.ms < TEMPORAL_DEADLINE_MS + 2_000, `answered after ${answer.ms} ms`);
  });
});

describe('the api’s deadline on Temporal', () => {
  it('ends the wait at the deadline even while the client sleeps between retries (its backoff ignores the deadline)', async () => {
    // The client's retry interceptor sleeping its backoff past the gRPC deadline: the call has not failed yet.
    const sleepingClient = {
      connection: { withDeadline: <T>(_deadline: number, _fn: () => Promise<T>) => new Promise<T>(() => undefined) },
    } as unknown as Client;
    const started = Date.now();
    await assert.rejects(
      withinDeadline(sleepingClient, async () => 'never', 300),
      /did not answer within 300 ms/,
    );
    const waited = Date.now() - started;
    assert.ok(waited >= 290 && waited < 1_000, `waited ${waited} ms`);
  });
});
