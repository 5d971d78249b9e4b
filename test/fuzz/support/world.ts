import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import pino from 'pino';
import { createApp } from '../../../packages/bridge/src/api/app.js';
import { asAccountId } from '../../../packages/bridge/src/domain/ids.js';
import { hubSpotSignatureV3 } from '../../../packages/bridge/src/hubspot/signature.js';
import { signStandardWebhook } from '../../../packages/bridge/src/providers/generic/verify.js';
import { signHubSignature } from '../../../packages/bridge/src/providers/whatsapp/verify.js';
import type { AccountWithCredentials, Store } from '../../../packages/bridge/src/store/types.js';
import { tempStore } from '../../helpers/bridge.js';
import { connectClient } from '../../helpers/temporal.js';
import type { HeaderLine } from './http.js';
import type { Shape } from './json-mutations.js';
import { LogSink } from './log-sink.js';
import { genericWebhook, hubspotWebhook, telegramUpdate, whatsappWebhook } from './shapes.js';
import { genericSeeds, hubspotSeeds, telegramSeeds, WHATSAPP_PHONE_NUMBER_ID, whatsappSeeds } from './seeds.js';

/** The fuzz apps' body limit: small, so oversized bodies are cheap to send. */
export const FUZZ_MAX_BODY_BYTES = 64 * 1024;

/** One webhook endpoint under fuzz: where it is, what it really receives, and how its sender signs. */
export interface FuzzEndpoint {
  readonly name: string;
  readonly path: string;
  readonly seeds: readonly Shape[];
  /** Payloads built field by field from the wire shapes (support/shapes.ts). */
  readonly shapes: fc.Arbitrary<unknown>;
  /** The headers the real sender puts on `body`, signature included. */
  sign(body: Buffer): HeaderLine[];
  /** The same headers, signed with a secret that is not the account's. */
  forge(body: Buffer): HeaderLine[];
}

const json: HeaderLine = ['Content-Type', 'application/json'];
const id = () => String(100_000_000 + Math.floor(Math.random() * 800_000_000));

function account(
  provider: AccountWithCredentials['provider'],
  credentials: Record<string, string>,
): AccountWithCredentials {
  return {
    accountId: asAccountId(id()),
    portalId: '243842089',
    channelId: '1234',
    provider,
    name: `fuzz ${provider}`,
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `fuzz-${randomUUID()}` },
    authorized: true,
    credentials,
  };
}

function endpoints(
  apiUrl: string,
  secrets: { telegram: string; whatsapp: string; generic: string; hubspot: string },
  accounts: Record<'telegram' | 'whatsapp' | 'generic', AccountWithCredentials>,
) {
  const hubspotUrl = `${apiUrl}/webhooks/hubspot`;
  const genericHeaders = (secret: string, body: Buffer): HeaderLine[] => {
    const webhookId = `msg_${randomUUID()}`;
    const at = Math.floor(Date.now() / 1000);
    return [
      json,
      ['webhook-id', webhookId],
      ['webhook-timestamp', String(at)],
      ['webhook-signature', signStandardWebhook(secret, webhookId, at, body)],
    ];
  };
  const hubspotHeaders = (secret: string, body: Buffer): HeaderLine[] => {
    const at = String(Date.now());
    return [
      json,
      ['X-HubSpot-Request-Timestamp', at],
      ['X-HubSpot-Signature-v3', hubSpotSignatureV3(secret, 'POST', hubspotUrl, body, at)],
    ];
  };
  const wrong = `whsec_${randomBytes(24).toString('base64')}`;
  const telegram: FuzzEndpoint = {
    name: 'POST /webhooks/telegram/:accountId',
    path: `/webhooks/telegram/${accounts.telegram.accountId}`,
    seeds: telegramSeeds(),
    shapes: telegramUpdate,
    sign: () => [json, ['X-Telegram-Bot-Api-Secret-Token', secrets.telegram]],
    forge: () => [json, ['X-Telegram-Bot-Api-Secret-Token', `${secrets.telegram}x`]],
  };
  const whatsapp: FuzzEndpoint = {
    name: 'POST /webhooks/whatsapp/:accountId',
    path: `/webhooks/whatsapp/${accounts.whatsapp.accountId}`,
    seeds: whatsappSeeds(),
    shapes: whatsappWebhook,
    sign: (body) => [json, ['X-Hub-Signature-256', signHubSignature(secrets.whatsapp, body)]],
    forge: (body) => [json, ['X-Hub-Signature-256', signHubSignature(wrong, body)]],
  };
  const generic: FuzzEndpoint = {
    name: 'POST /webhooks/generic/:accountId',
    path: `/webhooks/generic/${accounts.generic.accountId}`,
    seeds: genericSeeds(),
    shapes: genericWebhook,
    sign: (body) => genericHeaders(secrets.generic, body),
    forge: (body) => genericHeaders(wrong, body),
  };
  const hubspot: FuzzEndpoint = {
    name: 'POST /webhooks/hubspot',
    path: '/webhooks/hubspot',
    seeds: hubspotSeeds(),
    shapes: hubspotWebhook,
    sign: (body) => hubspotHeaders(secrets.hubspot, body),
    forge: (body) => hubspotHeaders(wrong, body),
  };
  return { telegram, whatsapp, generic, hubspot };
}

/**
 * The real api (createApp) on loopback with one account per provider and HubSpot's webhook configured, on the
 * suite's Temporal dev server with a task queue of its own and no worker: what it starts can be counted and
 * nothing runs. Logs go to a bounded sink.
 */
export async function startFuzzWorld() {
  const { store } = tempStore();
  const secrets = {
    telegram: `tg_${randomBytes(16).toString('hex')}`,
    whatsapp: randomBytes(16).toString('hex'),
    generic: `whsec_${randomBytes(24).toString('base64')}`,
    hubspot: randomBytes(16).toString('hex'),
    verifyToken: `verify-${randomBytes(8).toString('hex')}`,
  };
  const accounts = {
    telegram: account('telegram', { botToken: '123456:fuzz-token', secretToken: secrets.telegram }),
    whatsapp: account('whatsapp', {
      phoneNumberId: WHATSAPP_PHONE_NUMBER_ID,
      accessToken: 'EAAG-fuzz',
      appSecret: secrets.whatsapp,
      verifyToken: secrets.verifyToken,
    }),
    generic: account('generic', { signingSecret: secrets.generic }),
  };
  for (const a of Object.values(accounts)) await store.upsertAccount(a);

  const { client, connection, close: closeClient } = await connectClient();
  const taskQueue = `fuzz-${randomUUID()}`;
  const log = new LogSink();
  let handler: http.RequestListener = (_req, res) => void res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = createApp({
    store,
    temporal: client,
    taskQueue,
    logger: pino({ level: 'info' }, log),
    maxBodyBytes: FUZZ_MAX_BODY_BYTES,
    checkTemporal: () => connection.healthService.check({}),
    hubspotWebhook: { url: `${apiUrl}/webhooks/hubspot`, clientSecret: secrets.hubspot },
  }) as unknown as http.RequestListener;

  const accountIds = Object.values(accounts).map((a) => a.accountId);
  return {
    apiUrl,
    store: store as Store,
    client,
    taskQueue,
    log,
    accounts,
    secrets,
    endpoints: endpoints(apiUrl, secrets, accounts),
    /** Workflows this world's api started, counted by Temporal's visibility: on its task queue or for its accounts. */
    async workflowsStarted(): Promise<number> {
      const onQueue = await client.workflow.count(`TaskQueue = "${taskQueue}"`);
      const forAccounts = await client.workflow.count(
        `BridgeAccountId IN (${accountIds.map((a) => `"${a}"`).join(', ')})`,
      );
      return Math.max(onQueue.count, forAccounts.count);
    },
    /** Ends what the signed cases started (nothing runs them), so the shared dev server is left as it was found. */
    async terminateStarted(): Promise<number> {
      let n = 0;
      for await (const wf of client.workflow.list({
        query: `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`,
      })) {
        await client.workflow
          .getHandle(wf.workflowId, wf.runId)
          .terminate('fuzz test over')
          .catch(() => undefined);
        n += 1;
      }
      return n;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await closeClient();
      await store.close();
    },
  };
}
export type FuzzWorld = Awaited<ReturnType<typeof startFuzzWorld>>;
