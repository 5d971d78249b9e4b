/**
 * The system `npm run record-histories` drives: the test bridge (HubSpot sandbox, SQLite store, api) with a worker
 * wired as production wires it, so CHANNEL_ACCOUNT_* events are followed, plus the WhatsApp emulator with one account
 * subscribed. Import only after TEMPORAL_ADDRESS is set: the helpers connect when called.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createChannelAccountsClient } from '../../packages/bridge/src/hubspot/channel-accounts.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { createWhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { createBridgeWorker } from '../../packages/bridge/src/temporal/worker.js';
import { connectAccount, createSandboxAccount, startTestBridge, type TestBridge } from '../../test/helpers/bridge.js';
import { GENERIC_SECRET } from '../../test/helpers/generic-emulator.js';
import { messageCreated, signedGenericRequest } from '../../test/helpers/generic-sender.js';
import { outboundWorkerDeps } from '../../test/helpers/outbound-bridge.js';
import { openThread } from '../../test/helpers/outbound-world.js';
import { connectWorker, waitFor } from '../../test/helpers/temporal.js';
import type { MessageWorkflowTypes } from '../../packages/bridge/src/domain/workflow-types.js';

const WHATSAPP = {
  accessToken: 'EAAG-record-token',
  appSecret: 'record-app-secret',
  verifyToken: 'record-verify-token',
};
const PHONE_NUMBER_ID = '106540352242922';

/**
 * The WhatsApp emulator's control API (`/_sandbox/whatsapp/...`); answers loosely typed, each caller reads a few
 * fields.
 */
export type WhatsAppControl = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> }>;

export interface SentWhatsApp {
  readonly wamid: string;
  readonly to: string;
  readonly type: string;
}

export interface RecordingWorld {
  readonly bridge: TestBridge;
  readonly whatsapp: {
    readonly account: AccountWithCredentials;
    readonly control: WhatsAppControl;
    /** A customer who last wrote just now, and their HubSpot thread. */
    customer(): Promise<{ waId: string; threadId: string }>;
    sentTo(waId: string): Promise<SentWhatsApp[]>;
  };
  /** Run when the world stops: emulators a scenario started. */
  readonly cleanups: (() => Promise<unknown>)[];
  stop(): Promise<void>;
}

function listen(app: {
  listen: (port: number, host: string, cb: () => void) => Server;
}): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

/**
 * `workflowBundlePath`: the workflow code its worker runs. @default WORKFLOW_BUNDLE_PATH (the working tree's)
 * `workflowTypes`: the types its api starts messages as, for an earlier version's code. @default the current ones
 */
export async function startRecordingWorld(
  options: { workflowBundlePath?: string; workflowTypes?: MessageWorkflowTypes } = {},
): Promise<RecordingWorld> {
  const emulator = createWhatsAppSandbox({ ...WHATSAPP, phoneNumberId: PHONE_NUMBER_ID, statusDelayMs: 50 });
  const wa = await listen(emulator);
  // The test bridge's own worker has no channel-accounts client; this one has, as src/worker.ts builds it.
  const bridge = await startTestBridge({
    worker: false,
    ...(options.workflowTypes ? { workflowTypes: options.workflowTypes } : {}),
  });
  const { sandbox } = bridge;
  const accessTokenFor = async () => sandbox.portal.accessToken;
  const connection = await connectWorker();
  const worker = await createBridgeWorker({
    connection,
    namespace: 'default',
    taskQueue: bridge.taskQueue,
    deps: {
      store: bridge.store,
      hubspot: createHubSpotClient({ baseUrl: sandbox.url, channelId: sandbox.channelId, accessTokenFor }),
      channelAccounts: createChannelAccountsClient({
        baseUrl: sandbox.url,
        channelId: sandbox.channelId,
        accessTokenFor,
      }),
      // The generic connector emulator listens on loopback, which the bridge refuses unless allowed (sandboxes only).
      ...outboundWorkerDeps(sandbox, {
        providerEndpoints: { settings: { whatsapp: { graphBaseUrl: wa.url } }, allowPrivateMediaHosts: ['127.0.0.1'] },
      }),
    },
    workflowBundlePath: options.workflowBundlePath ?? process.env.WORKFLOW_BUNDLE_PATH,
  });
  const running = worker.run();

  const control: WhatsAppControl = async (method, path, body) => {
    const res = await fetch(`${wa.url}/_sandbox/whatsapp${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const account = await connectAccount(bridge, 'whatsapp', { phoneNumberId: PHONE_NUMBER_ID, ...WHATSAPP });
  const subscribed = await control('POST', '/webhook', {
    url: `${bridge.apiUrl}/webhooks/whatsapp/${account.accountId}`,
    verifyToken: WHATSAPP.verifyToken,
  });
  if (subscribed.status !== 200)
    throw new Error(`the WhatsApp emulator refused the webhook: ${JSON.stringify(subscribed.body)}`);
  let nextCustomer = 447700900500;

  const cleanups: (() => Promise<unknown>)[] = [];
  return {
    bridge,
    whatsapp: {
      account,
      control,
      async customer() {
        const waId = String((nextCustomer += 1));
        await control('POST', `/customers/${waId}`, { name: 'Jane Customer', lastInboundAt: new Date().toISOString() });
        return {
          waId,
          threadId: await openThread(bridge, account, waId, { type: 'HS_PHONE_NUMBER', value: `+${waId}` }),
        };
      },
      sentTo: async (waId) =>
        ((await control('GET', '/ledger')).body.sent as SentWhatsApp[]).filter((m) => m.to === waId),
    },
    cleanups,
    async stop() {
      for (const cleanup of cleanups) await cleanup().catch(() => undefined);
      worker.shutdown();
      await running;
      await connection.close();
      await bridge.stop();
      emulator.stopTimers();
      await new Promise<void>((r) => wa.server.close(() => r()));
    },
  };
}

/** A customer message into the generic connector's webhook for `account`; returns its inbound workflow id. */
export async function sendGeneric(
  bridge: TestBridge,
  account: Pick<AccountWithCredentials, 'accountId'>,
  secret: string,
  threadKey: string,
  text?: string,
): Promise<string> {
  const payload = messageCreated({ threadKey, ...(text ? { text } : {}) });
  const request = signedGenericRequest(secret, payload);
  const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${account.accountId}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  if (res.status !== 200) throw new Error(`the api refused the webhook: ${res.status} ${await res.text()}`);
  return `inbound:${account.accountId}:${payload.data.messageId}`;
}

/** One more generic account, signed with the emulator's secret; `callbackUrl` where replies go. */
export const connectGeneric = (bridge: TestBridge, callbackUrl = 'http://127.0.0.1:9/unused') =>
  connectAccount(bridge, 'generic', { signingSecret: GENERIC_SECRET, callbackUrl });

/**
 * The account is turned off or on in HubSpot: by an admin (`authorized`, the settings switch) or by HubSpot itself
 * (`active`, which the API cannot set and a rep's editor does not check). The sandbox sends CHANNEL_ACCOUNT_UPDATED,
 * the account's lifecycle workflow re-reads it and records it; resolves once the store says so.
 */
export async function turnAccount(
  bridge: TestBridge,
  accountId: string,
  on: boolean,
  flag: 'authorized' | 'active' = 'authorized',
): Promise<void> {
  const res = await fetch(`${bridge.sandbox.url}/_sandbox/channel-accounts/${accountId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ [flag]: on }),
  });
  if (res.status !== 200)
    throw new Error(
      `the sandbox refused to set ${flag} ${on} on account ${accountId}: ${res.status} ${await res.text()}`,
    );
  await waitFor(
    async () => ((await bridge.store.getAccount(accountId))?.authorized === on ? true : undefined),
    30_000,
    `account ${accountId} ${on ? 'on' : 'off'} in the store`,
  );
}

/** Resolves once visibility shows the workflow as HELD (what the lifecycle workflow's signalHeldMessages looks for). */
export async function waitUntilHeld(bridge: TestBridge, workflowId: string): Promise<void> {
  const query = `WorkflowId = "${workflowId}" AND BridgeStatus = "HELD" AND ExecutionStatus = "Running"`;
  await waitFor(
    async () => {
      for await (const _ of bridge.client.workflow.list({ query })) return true;
      return undefined;
    },
    30_000,
    `${workflowId} HELD in visibility`,
  );
}

/** A channel account HubSpot has but this bridge never connected (made elsewhere): in the sandbox, not in the store. */
export async function unknownAccount(bridge: TestBridge): Promise<AccountWithCredentials> {
  const created = await createSandboxAccount(bridge.sandbox, 'Made elsewhere');
  return {
    accountId: asAccountId(created.id),
    portalId: bridge.sandbox.portal.portalId,
    channelId: bridge.sandbox.channelId,
    provider: 'generic',
    name: created.name,
    deliveryIdentifier: created.deliveryIdentifier,
    authorized: true,
    credentials: {},
  };
}
