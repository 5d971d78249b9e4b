import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { hubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { listen, tempStore } from '../helpers/bridge.js';
import { connectClient } from '../helpers/temporal.js';

const SECRET = 'sandbox-client-secret';
const WEBHOOK_URL = 'https://bridge.example.com/webhooks/hubspot';
const ACCOUNT = '555001';
const DAY = 86_400_000;

function reply(messageId: string, createdAt: string, { accountId = ACCOUNT, chat = 'chat-7' } = {}) {
  return {
    type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
    eventId: randomUUID(),
    portalId: 1,
    channelId: '1234',
    channelIntegrationThreadIds: [`${accountId}:${chat}`],
    message: {
      id: messageId,
      channelId: '1234',
      channelAccountId: accountId,
      createdAt,
      recipients: [],
      text: `reply ${messageId}`,
      attachments: [],
    },
  };
}

/**
 * No worker polls this test's task queue, as after a worker crash or under a backlog: the workflows exist but none
 * has run a single activity. The replies' order must already be fixed, by the api, in the order HubSpot sent them.
 */
describe('the api registers a rep reply in its chat’s delivery order as it accepts the webhook', () => {
  let store: Store;
  let storeFile: string;
  let apiUrl: string;
  let close: () => Promise<void>;
  before(async () => {
    ({ store, file: storeFile } = tempStore());
    await store.upsertAccount({
      accountId: asAccountId(ACCOUNT),
      portalId: '1',
      channelId: '1234',
      provider: 'telegram',
      name: 'bot',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot' },
      authorized: true,
      credentials: { botToken: '1:x', secretToken: 's' },
    });
    const temporal = await connectClient();
    const app = createApp({
      store,
      temporal: temporal.client,
      taskQueue: `no-worker-${randomUUID()}`,
      logger: createLogger('t', 'silent'),
      maxBodyBytes: 65536,
      checkTemporal: () => temporal.connection.healthService.check({}),
      hubspotWebhook: { url: WEBHOOK_URL, clientSecret: SECRET },
    });
    const api = await listen(app);
    apiUrl = api.url;
    close = async () => {
      await new Promise<void>((r) => api.server.close(() => r()));
      await temporal.close();
      await store.close();
    };
  });
  after(() => close?.());

  const send = async (event: unknown) => {
    const body = JSON.stringify(event);
    const timestamp = String(Date.now());
    const headers = {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': hubSpotSignatureV3(SECRET, 'POST', WEBHOOK_URL, Buffer.from(body), timestamp),
    };
    const res = await fetch(`${apiUrl}/webhooks/hubspot`, { method: 'POST', headers, body });
    assert.equal(res.status, 200);
  };

  it('holds a newer reply behind an older one before any workflow has run', async () => {
    const older = randomUUID();
    const newer = randomUUID();
    await send(reply(older, new Date(Date.now() - 20_000).toISOString()));
    await send(reply(newer, new Date().toISOString()));
    assert.equal(await store.earlierOutbound(newer, DAY), older);
    assert.equal(await store.earlierOutbound(older, DAY), undefined);
  });

  it('keeps a redelivered reply in its first place, and never registers a reply to an account the bridge does not know', async () => {
    const first = randomUUID();
    const event = reply(first, new Date(Date.now() - 5_000).toISOString(), { chat: 'chat-8' });
    await send(event);
    await send(event);
    const next = randomUUID();
    await send(reply(next, new Date().toISOString(), { chat: 'chat-8' }));
    assert.equal(await store.earlierOutbound(next, DAY), first);

    const stranger = randomUUID();
    await send(reply(stranger, new Date(Date.now() - 60_000).toISOString(), { accountId: '999999' }));
    const rows = new Database(storeFile, { readonly: true })
      .prepare('SELECT hubspot_message_id FROM outbound_deliveries')
      .all() as { hubspot_message_id: string }[];
    assert.deepEqual(
      rows
        .map((r) => r.hubspot_message_id)
        .filter((id) => ([first, next, stranger] as string[]).includes(id))
        .sort(),
      [first, next].sort(),
    );
  });
});
