import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import pino from 'pino';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { deadLetterId, deadLetterStoreOf, type DeadLetterStore } from '../../packages/bridge/src/api/dead-letters.js';
import { adminOpenApi } from '../../packages/bridge/src/api/openapi/admin.js';
import { hubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';
import { freePort } from '../../packages/dev-tools/src/local/temporal-dev-server.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { outgoingMessageEvent } from '../../packages/sandbox/src/hubspot/webhooks.js';
import type { AccountWithCredentials, Store } from '../../packages/bridge/src/store/types.js';
import { connectAccount, listen, startTestBridge, tempStore, type TestBridge } from '../helpers/bridge.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { listenWithHubSpotWebhook } from '../helpers/outbound-bridge.js';
import { openThread, replyAsRep, waitForStatus } from '../helpers/outbound-world.js';
import { connectClient, waitFor } from '../helpers/temporal.js';

const TOKEN = 'admin-token-for-dead-letters-0123';
const CUSTOMER_TEXT = 'my card number is 4111 1111 1111 1111';

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(JSON.parse(JSON.stringify(adminOpenApi)) as object, 'openapi.json');
function conforms(schema: string, body: unknown): void {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`)!;
  assert.ok(validate(body), `${schema}: ${ajv.errorsText(validate.errors)}`);
}

/** Every log line the api writes, as text. */
class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(String(chunk));
    done();
  }
}

function lettersOf(store: Store): DeadLetterStore {
  const letters = deadLetterStoreOf(store);
  assert.ok(letters, 'the store keeps no dead letters: it needs the dead_letters table and DeadLetterStore methods');
  return letters;
}

/** An OUTGOING_CHANNEL_MESSAGE_CREATED the bridge cannot use: its message has no id. */
const noMessageId = (eventId = randomUUID()) => ({
  type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
  eventId,
  portalId: 243842089,
  message: { channelAccountId: '987654', text: CUSTOMER_TEXT },
});

interface Api {
  readonly url: string;
  readonly webhookUrl: string;
  readonly server: Server;
}

/** Signed as HubSpot signs, for the URL the api was told HubSpot calls. */
function postWebhook(api: Api, secret: string, events: unknown, body = JSON.stringify(events)) {
  const timestamp = String(Date.now());
  return fetch(`${api.url}/webhooks/hubspot`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': hubSpotSignatureV3(secret, 'POST', api.webhookUrl, Buffer.from(body), timestamp),
    },
    body,
  });
}

/** An admin call; `token: null` sends no Authorization header. */
const admin = (api: Pick<Api, 'url'>, path: string, init: RequestInit = {}, token: string | null = TOKEN) =>
  fetch(`${api.url}${path}`, { ...init, headers: token === null ? {} : { authorization: `Bearer ${token}` } });

type Answer = {
  accepted: { workflowId: string }[];
  deadLettered: { id: string; type: string; eventId: string; reason: string }[];
};

/**
 * The whole bridge (sandbox HubSpot, real Temporal and worker, generic connector emulator), with the admin token set.
 */
describe(
  'HubSpot dead letters: kept with their body, listed and replayed through the admin API',
  { timeout: 180_000 },
  () => {
    let bridge: TestBridge;
    let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
    let account: AccountWithCredentials;
    let api: Api;
    let letters: DeadLetterStore;
    const logs = new LogLines();
    const secret = () => bridge.sandbox.state.app.clientSecret;

    before(async () => {
      emulator = await startGenericEmulator({ autoReceipts: ['delivered', 'read'] });
      bridge = await startTestBridge({ outbound: { providerEndpoints: { allowPrivateMediaHosts: ['127.0.0.1'] } } });
      letters = lettersOf(bridge.store);
      account = await connectAccount(bridge, 'generic', {
        signingSecret: GENERIC_SECRET,
        callbackUrl: emulator.callbackUrl,
      });
      // This api takes the sandbox channel's webhookUrl over from the test bridge's own: same store, Temporal and
      // worker.
      const { server, url } = await listenWithHubSpotWebhook(bridge.sandbox, (hubspotWebhook) =>
        createApp({
          store: bridge.store,
          temporal: bridge.client,
          taskQueue: bridge.taskQueue,
          logger: pino({ level: 'debug' }, logs),
          maxBodyBytes: 65536,
          checkTemporal: async () => undefined,
          hubspotWebhook,
          adminToken: TOKEN,
        }),
      );
      api = { url, server, webhookUrl: `${url}/webhooks/hubspot` };
      assert.ok(
        (await emulator.control('/config', { bridgeUrl: `${url}/webhooks/generic/${account.accountId}` }, 'PUT')).ok,
      );
    });
    after(async () => {
      if (api) await new Promise<void>((r) => api.server.close(() => r()));
      await bridge?.stop();
      await emulator?.close();
    });

    it('keeps an unusable event with its body, type, reason and time, lists it without the body, and never logs the body', async () => {
      const event = noMessageId();
      const before = Date.now();
      const res = await postWebhook(api, secret(), [event]);
      assert.equal(res.status, 200);
      const [answered] = ((await res.json()) as Answer).deadLettered;
      assert.equal(answered!.id, deadLetterId('hubspot', JSON.stringify(event)));

      const list = await admin(api, '/admin/dead-letters');
      assert.equal(list.status, 200);
      const listed = ((await list.json()) as { deadLetters: Record<string, unknown>[] }).deadLetters.find(
        (d) => d.id === answered!.id,
      );
      assert.ok(listed, 'listed');
      conforms('DeadLetterSummary', listed);
      assert.equal(listed.type, 'OUTGOING_CHANNEL_MESSAGE_CREATED');
      assert.equal(listed.eventId, event.eventId);
      assert.match(String(listed.reason), /message\.id/);
      assert.ok(
        Date.parse(String(listed.receivedAt)) >= before - 1000 && Date.parse(String(listed.receivedAt)) <= Date.now(),
      );
      assert.equal(listed.replayAttempts, 0);
      assert.equal(listed.body, undefined);
      assert.ok(!JSON.stringify(listed).includes(CUSTOMER_TEXT));

      const shown = await admin(api, `/admin/dead-letters/${answered!.id}`);
      assert.equal(shown.status, 200);
      const letter = (await shown.json()) as { event: unknown };
      conforms('DeadLetter', letter);
      assert.deepEqual(letter.event, event);
      assert.ok(
        logs.lines.some((l) => l.includes(answered!.id) && l.includes('dead-lettered')),
        'the dead-lettering is logged with the letter id',
      );
      assert.ok(!logs.lines.some((l) => l.includes(CUSTOMER_TEXT)), 'the customer text reached a log line');
    });

    it('keeps one letter for an event HubSpot delivers twice', async () => {
      const event = noMessageId();
      for (let i = 0; i < 2; i += 1) assert.equal((await postWebhook(api, secret(), event)).status, 200);
      const { deadLetters } = (await (await admin(api, '/admin/dead-letters?limit=1000')).json()) as {
        deadLetters: { eventId?: string }[];
      };
      assert.equal(deadLetters.filter((d) => d.eventId === event.eventId).length, 1);
    });

    it('replays a letter that is still unusable: 422 with the reason, and the letter stays with one more attempt', async () => {
      const event = noMessageId();
      const [answered] = ((await (await postWebhook(api, secret(), event)).json()) as Answer).deadLettered;
      for (const attempt of [1, 2]) {
        const res = await admin(api, `/admin/dead-letters/${answered!.id}/replay`, { method: 'POST' });
        assert.equal(res.status, 422);
        assert.match(((await res.json()) as { error: string }).error, /^still unusable: .*message\.id/);
        const letter = (await (await admin(api, `/admin/dead-letters/${answered!.id}`)).json()) as {
          replayAttempts: number;
          lastReplayAt?: string;
          event: unknown;
        };
        assert.equal(letter.replayAttempts, attempt);
        assert.ok(letter.lastReplayAt);
        assert.deepEqual(letter.event, event);
      }
    });

    it("replays a rep's reply kept as a dead letter: delivered to the connector, READ in HubSpot, and the letter removed", async () => {
      const threadId = await openThread(bridge, account, 'dead-letter-thread', {
        type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
        value: 'dead-letter-customer',
      });
      // The rep's reply exactly as HubSpot would send it, kept as if an earlier bridge had dead-lettered it.
      const channel = bridge.sandbox.state.channels.get(bridge.sandbox.channelId)!;
      const webhookUrl = channel.webhookUrl;
      channel.webhookUrl = undefined;
      const messageId = await replyAsRep(bridge, threadId, { text: 'Replayed from a dead letter' });
      channel.webhookUrl = webhookUrl;
      const event = outgoingMessageEvent(bridge.sandbox.state, channel, bridge.sandbox.state.messages.get(messageId)!);
      const body = JSON.stringify(event);
      const id = deadLetterId('hubspot', body);
      await letters.saveDeadLetter({
        id,
        source: 'hubspot',
        type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
        eventId: event.eventId,
        reason: 'message.channelAccountId: Required',
        body,
        receivedAt: new Date().toISOString(),
      });

      const res = await admin(api, `/admin/dead-letters/${id}/replay`, { method: 'POST' });
      assert.equal(res.status, 200);
      const result = await res.json();
      conforms('ReplayResult', result);
      assert.deepEqual(result, {
        id,
        replayed: true,
        outcome: { kind: 'accepted', workflowId: `outbound:${messageId}`, duplicate: false },
      });

      await waitForStatus(bridge, messageId, 'READ', 60_000);
      const delivered = await waitFor(async () => {
        const { events } = (await (await emulator.control('/received')).json()) as {
          events: { event: { type: string; data: { threadKey: string; text?: string } } }[];
        };
        return events.find(
          (e) => e.event.type === 'message.created' && e.event.data.threadKey === 'dead-letter-thread',
        );
      });
      assert.equal(delivered.event.data.text, 'Replayed from a dead letter');
      assert.equal((await admin(api, `/admin/dead-letters/${id}`)).status, 404);
      assert.equal(await letters.getDeadLetter(id), undefined);
      assert.equal((await admin(api, `/admin/dead-letters/${id}/replay`, { method: 'POST' })).status, 404);
    });

    it('replays a kept account event: handed to the account workflow, and the letter removed', async () => {
      const accountId = String(Math.floor(Math.random() * 1e12));
      const body = JSON.stringify({
        type: 'CHANNEL_ACCOUNT_UPDATED',
        eventId: randomUUID(),
        portalId: 243842089,
        channelAccountId: accountId,
      });
      const id = deadLetterId('hubspot', body);
      await letters.saveDeadLetter({
        id,
        source: 'hubspot',
        type: 'CHANNEL_ACCOUNT_UPDATED',
        reason: 'no numeric portalId and channel account id',
        body,
        receivedAt: new Date().toISOString(),
      });
      const res = await admin(api, `/admin/dead-letters/${id}/replay`, { method: 'POST' });
      assert.deepEqual(await res.json(), {
        id,
        replayed: true,
        outcome: { kind: 'account-event', type: 'CHANNEL_ACCOUNT_UPDATED' },
      });
      assert.ok(await bridge.client.workflow.getHandle(`account:${accountId}`).describe());
      assert.equal(await letters.getDeadLetter(id), undefined);
    });

    it('still dead-letters an event nested too deep for JSON to write back, without keeping it', async () => {
      const depth = 30_000;
      const body = `{"type":"OUTGOING_CHANNEL_MESSAGE_CREATED","eventId":"too-deep","portalId":1,"message":{"nested":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const res = await postWebhook(api, secret(), undefined, body);
      assert.equal(res.status, 200);
      const [answered] = ((await res.json()) as Answer).deadLettered;
      assert.deepEqual([answered!.eventId, answered!.id], ['too-deep', undefined]);
      assert.ok(
        !(
          (await (await admin(api, '/admin/dead-letters?limit=1000')).json()) as { deadLetters: { eventId?: string }[] }
        ).deadLetters.some((d) => d.eventId === 'too-deep'),
      );
    });

    it('discards a letter on DELETE, after which it is gone', async () => {
      const [answered] = ((await (await postWebhook(api, secret(), noMessageId())).json()) as Answer).deadLettered;
      assert.equal((await admin(api, `/admin/dead-letters/${answered!.id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await admin(api, `/admin/dead-letters/${answered!.id}`)).status, 404);
      assert.equal((await admin(api, `/admin/dead-letters/${answered!.id}`, { method: 'DELETE' })).status, 404);
    });

    it('refuses every dead-letter route without the right admin token, and answers 503 when none is configured', async () => {
      const [answered] = ((await (await postWebhook(api, secret(), noMessageId())).json()) as Answer).deadLettered;
      const routes: [string, string][] = [
        ['GET', '/admin/dead-letters'],
        ['GET', `/admin/dead-letters/${answered!.id}`],
        ['POST', `/admin/dead-letters/${answered!.id}/replay`],
        ['DELETE', `/admin/dead-letters/${answered!.id}`],
      ];
      const off = await listen(
        createApp({
          store: bridge.store,
          temporal: bridge.client,
          taskQueue: bridge.taskQueue,
          logger: createLogger('off', 'silent'),
          maxBodyBytes: 1024,
          checkTemporal: async () => undefined,
        }),
      );
      try {
        for (const [method, path] of routes) {
          for (const token of [null, 'not-the-admin-token-at-all']) {
            const res = await admin(api, path, { method }, token);
            assert.equal(res.status, 401, `${method} ${path}`);
            assert.match(((await res.json()) as { error: string }).error, /admin token/);
          }
          const disabled = await admin(off, path, { method });
          assert.equal(disabled.status, 503, `${method} ${path}`);
          assert.match(((await disabled.json()) as { error: string }).error, /BRIDGE_ADMIN_TOKEN/);
        }
      } finally {
        await new Promise<void>((r) => off.server.close(() => r()));
      }
      assert.ok(await letters.getDeadLetter(answered!.id), 'no refused call touched the letter');
    });
  },
);

describe('HubSpot dead letters: retention', () => {
  const SECRET = 'retention-client-secret';
  const retention = { maxCount: 3, maxBytes: 4000, maxAgeMs: 60 * 60_000 };
  let api: Api;
  let store: Store;
  let letters: DeadLetterStore;
  let closeTemporal: () => Promise<void>;

  before(async () => {
    store = tempStore().store;
    letters = lettersOf(store);
    const temporal = await connectClient();
    closeTemporal = temporal.close;
    // The URL HubSpot signs must be known before the app: listen on a port chosen first.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const app = createApp({
      store,
      temporal: temporal.client,
      taskQueue: `retention-${randomUUID()}`,
      logger: createLogger('retention', 'silent'),
      maxBodyBytes: 65536,
      checkTemporal: async () => undefined,
      adminToken: TOKEN,
      deadLetterRetention: retention,
      hubspotWebhook: { url: `${url}/webhooks/hubspot`, clientSecret: SECRET },
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(port, '127.0.0.1', () => resolve(s));
    });
    api = { url, server, webhookUrl: `${url}/webhooks/hubspot` };
  });
  after(async () => {
    if (api) await new Promise<void>((r) => api.server.close(() => r()));
    await closeTemporal?.();
    await store?.close();
  });

  const listed = async () =>
    (
      (await (await admin(api, '/admin/dead-letters?limit=1000')).json()) as {
        deadLetters: { id: string; eventId?: string; bytes: number }[];
      }
    ).deadLetters;
  /** One unusable event per call, a few ms apart so "newest" is well defined. */
  const deadLetter = async (event: Record<string, unknown>) => {
    await new Promise((r) => setTimeout(r, 5));
    const res = await postWebhook(api, SECRET, event);
    assert.equal(res.status, 200);
    return ((await res.json()) as Answer).deadLettered[0]!.id;
  };

  it('drops a letter older than maxAgeMs', async () => {
    const old = JSON.stringify({ eventId: 'old', portalId: 1 });
    await letters.saveDeadLetter({
      id: deadLetterId('hubspot', old),
      source: 'hubspot',
      type: 'unusable',
      eventId: 'old',
      reason: 'no event type',
      body: old,
      receivedAt: new Date(Date.now() - retention.maxAgeMs - 60_000).toISOString(),
    });
    assert.ok(await letters.getDeadLetter(deadLetterId('hubspot', old)));
    assert.deepEqual(
      (await listed()).map((d) => d.eventId),
      [],
    );
    assert.equal(await letters.getDeadLetter(deadLetterId('hubspot', old)), undefined);
  });

  it('keeps only the newest maxCount letters, however many a valid signature brings', async () => {
    for (let i = 0; i < 10; i += 1) await deadLetter({ eventId: `n${i}`, portalId: 1 });
    assert.deepEqual(
      (await listed()).map((d) => d.eventId),
      ['n9', 'n8', 'n7'],
    );
  });

  it('keeps at most maxBytes of bodies, newest first', async () => {
    const big = await deadLetter({ eventId: 'big', portalId: 1, padding: 'x'.repeat(2500) });
    assert.ok((await listed()).some((d) => d.id === big));
    const bigger = await deadLetter({ eventId: 'bigger', portalId: 1, padding: 'y'.repeat(2500) });
    const kept = await listed();
    assert.equal(kept[0]!.id, bigger);
    assert.ok(!kept.some((d) => d.id === big), 'the older big letter went');
    assert.ok(kept.reduce((sum, d) => sum + d.bytes, 0) <= retention.maxBytes);
  });
});
