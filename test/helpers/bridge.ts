import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { createMediaLinks, mediaLinkSecret } from '../../packages/bridge/src/media-links/index.js';
import { createHubSpotSandbox } from '../../packages/sandbox/src/hubspot/app.js';
import { createHubSpotSandboxState, type HubSpotSandboxState } from '../../packages/sandbox/src/hubspot/state.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { AccountWithCredentials, Store } from '../../packages/bridge/src/store/types.js';
import type { InboundOptions } from '../../packages/bridge/src/activities/inbound-settings.js';
import { CatchUp } from '../../packages/bridge/src/api/catch-up.js';
import { createBridgeWorker } from '../../packages/bridge/src/temporal/worker.js';
import { listenWithHubSpotWebhook, outboundWorkerDeps, type OutboundTestOptions } from './outbound-bridge.js';
import { connectClient, connectWorker } from './temporal.js';
import type { MessageWorkflowTypes } from '../../packages/bridge/src/domain/workflow-types.js';

export function listen(app: {
  listen: (port: number, host: string, cb: () => void) => Server;
}): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

export function tempStore(): { store: Store; file: string; key: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-store-'));
  const key = randomBytes(32);
  const file = path.join(dir, 'bridge.sqlite');
  return { store: openSqliteStore({ path: file, encryptionKey: key }), file, key };
}

/** A sandbox HubSpot with the channel registered, reached through its real HTTP API. */
export async function startHubSpotSandbox() {
  const state = createHubSpotSandboxState();
  const { server, url } = await listen(createHubSpotSandbox(state));
  const portal = [...state.portals.values()][0]!;
  const res = await fetch(
    `${url}/conversations/v3/custom-channels?hapikey=${state.app.developerApiKey}&appId=${state.app.appId}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Test channel',
        capabilities: {
          threadingModel: 'INTEGRATION_THREAD_ID',
          deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
        },
      }),
    },
  );
  const channel = (await res.json()) as { id: string };
  return { state, url, portal, channelId: channel.id, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function createSandboxAccount(
  sandbox: Awaited<ReturnType<typeof startHubSpotSandbox>>,
  name = 'Generic demo',
) {
  const res = await fetch(`${sandbox.url}/conversations/v3/custom-channels/${sandbox.channelId}/channel-accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.portal.accessToken}` },
    body: JSON.stringify({
      inboxId: sandbox.portal.inboxId,
      name,
      authorized: true,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `acct-${randomUUID()}` },
    }),
  });
  if (res.status !== 201) throw new Error(`sandbox refused the account: ${res.status} ${await res.text()}`);
  return (await res.json()) as {
    id: string;
    name: string;
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID'; value: string };
  };
}

/** Connects one more provider account: in the HubSpot sandbox, and in the bridge's store with its credentials. */
export async function connectAccount(
  bridge: Pick<TestBridge, 'sandbox' | 'store'>,
  provider: AccountWithCredentials['provider'],
  credentials: Record<string, string>,
): Promise<AccountWithCredentials> {
  const created = await createSandboxAccount(bridge.sandbox, `${provider} account`);
  const account: AccountWithCredentials = {
    accountId: asAccountId(created.id),
    portalId: bridge.sandbox.portal.portalId,
    channelId: bridge.sandbox.channelId,
    provider,
    name: created.name,
    deliveryIdentifier: created.deliveryIdentifier,
    authorized: true,
    credentials,
  };
  await bridge.store.upsertAccount(account);
  return account;
}

export interface TestBridge {
  readonly apiUrl: string;
  readonly sandbox: Awaited<ReturnType<typeof startHubSpotSandbox>>;
  readonly sandboxState: HubSpotSandboxState;
  readonly store: Store;
  /** The store's SQLite file, for a process that opens it itself (the CLI). */
  readonly storeFile: string;
  readonly client: Client;
  readonly taskQueue: string;
  readonly account: AccountWithCredentials;
  readonly signingSecret: string;
  /** The api's catch-up holds, when `catchUpMs` was given. */
  readonly catchUp?: CatchUp;
  stop(): Promise<void>;
}

/**
 * The whole bridge in-process: sandbox, SQLite store, worker and api, on the suite's dev server. `inbound`: provider
 * endpoints (emulators) and inbound policies for the worker's activities. `mediaLinks`: wired as src/server.ts and
 * src/worker.ts wire them, for providers that download reply files themselves: the api knows its public URL (webhooks
 * carry `url`) and serves /media-links, and the worker's adapters get `mediaUrlFor`, signed with the secret both
 * derive from the store key. `workflowTypes`: the types the api starts messages as (an upgrade test's previous
 * version).
 */
export async function startTestBridge(
  options: {
    worker?: boolean;
    inbound?: InboundOptions;
    outbound?: OutboundTestOptions;
    catchUpMs?: number;
    mediaLinks?: boolean;
    workflowTypes?: MessageWorkflowTypes;
  } = {},
): Promise<TestBridge> {
  const sandbox = await startHubSpotSandbox();
  const { store, key, file: storeFile } = tempStore();
  const taskQueue = `test-${randomUUID()}`;
  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const created = await createSandboxAccount(sandbox);
  const account: AccountWithCredentials = {
    accountId: asAccountId(created.id),
    portalId: sandbox.portal.portalId,
    channelId: sandbox.channelId,
    provider: 'generic',
    name: created.name,
    deliveryIdentifier: created.deliveryIdentifier,
    authorized: true,
    credentials: { signingSecret },
  };
  await store.upsertAccount(account);

  const { client, connection, close: closeClient } = await connectClient();
  const logger = createLogger('test-api', 'silent');
  const catchUp = options.catchUpMs === undefined ? undefined : new CatchUp(options.catchUpMs, store);
  let publicUrl = '';
  const api = await listenWithHubSpotWebhook(sandbox, (hubspotWebhook) => {
    // Loopback stands in for BRIDGE_PUBLIC_URL: nothing sits between the emulators and the api here.
    publicUrl = hubspotWebhook.url.replace(/\/webhooks\/hubspot$/, '');
    return createApp({
      store,
      temporal: client,
      taskQueue,
      logger,
      maxBodyBytes: 64 * 1024,
      checkTemporal: () => connection.healthService.check({}),
      hubspotWebhook: { ...hubspotWebhook, policy: options.outbound?.policy },
      catchUp,
      ...(options.workflowTypes ? { workflowTypes: options.workflowTypes } : {}),
      ...(options.mediaLinks
        ? { publicUrl, mediaLinks: createMediaLinks({ store, secret: mediaLinkSecret(key), publicUrl }) }
        : {}),
    });
  });
  const outbound: OutboundTestOptions | undefined = options.mediaLinks
    ? {
        ...options.outbound,
        providerEndpoints: {
          ...options.outbound?.providerEndpoints,
          mediaUrlFor: createMediaLinks({ store, secret: mediaLinkSecret(Buffer.from(key)), publicUrl }).link,
        },
      }
    : options.outbound;

  let worker: Worker | undefined;
  let workerConnection: NativeConnection | undefined;
  let running: Promise<void> | undefined;
  if (options.worker !== false) {
    workerConnection = await connectWorker();
    const hubspot = createHubSpotClient({
      baseUrl: sandbox.url,
      channelId: sandbox.channelId,
      accessTokenFor: async () => sandbox.portal.accessToken,
    });
    worker = await createBridgeWorker({
      connection: workerConnection,
      namespace: 'default',
      taskQueue,
      deps: { store, hubspot, ...options.inbound, ...outboundWorkerDeps(sandbox, outbound) },
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
    running = worker.run();
  }

  return {
    apiUrl: api.url,
    sandbox,
    sandboxState: sandbox.state,
    store,
    storeFile,
    client,
    taskQueue,
    account,
    signingSecret,
    ...(catchUp ? { catchUp } : {}),
    async stop() {
      worker?.shutdown();
      await running;
      await workerConnection?.close();
      await new Promise<void>((r) => api.server.close(() => r()));
      await closeClient();
      await sandbox.close();
      await store.close();
    },
  };
}
