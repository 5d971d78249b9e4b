import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { NativeConnection, Worker } from '@temporalio/worker';
import express from 'express';
import pino from 'pino';
import { createApp } from '../../packages/bridge/src/api/app.js';
import type { SandboxInfo, SeedContext } from '../../packages/dev-tools/src/local/demo-seed.js';
import type { ConnectDeps } from '../../packages/bridge/src/api/connect/deps.js';
import { stateKeyFrom } from '../../packages/bridge/src/api/connect/oauth-state.js';
import { createChannelAccountsClient } from '../../packages/bridge/src/hubspot/channel-accounts.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { createHubSpotOutboundClient } from '../../packages/bridge/src/hubspot/status.js';
import { DEFAULT_SCOPES } from '../../packages/bridge/src/hubspot/oauth.js';
import { createTokenProvider } from '../../packages/bridge/src/hubspot/tokens.js';
import { createHubSpotSandbox } from '../../packages/sandbox/src/hubspot/app.js';
import { createHubSpotSandboxState, type HubSpotSandboxState } from '../../packages/sandbox/src/hubspot/state.js';
import { createWhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import { createBridgeWorker } from '../../packages/bridge/src/temporal/worker.js';
import { listen } from './bridge.js';
import { startTelegramSandbox } from './telegram-sandbox.js';
import { connectClient, connectWorker } from './temporal.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const WHATSAPP = {
  accessToken: 'EAAG-connect-test-token',
  appSecret: 'connect-test-app-secret',
  verifyToken: 'unused-verify',
};
export const ADMIN_TOKEN = 'admin-token-for-connect-tests';

export interface ConnectWorldOptions {
  /**
   * Install through OAuth (no static token): unknown portals are refused. @default false (single-portal static token)
   */
  readonly oauth?: boolean;
  readonly worker?: boolean;
  readonly tokenLifetimeSeconds?: number;
  /** The bridge's public URL as providers see it. @default the api's loopback URL */
  readonly publicUrl?: (apiUrl: string) => string;
}

/**
 * The HubSpot sandbox with the channel registered as `channel register` would (connection page and webhook pointing at
 * the bridge), the Telegram and WhatsApp emulators, and the bridge's api (+ worker) with the connection flow wired.
 * Every log line is captured in `logs` so tests can scan them for secrets.
 */
export async function startConnectWorld(options: ConnectWorldOptions = {}) {
  const hubspotState: HubSpotSandboxState = createHubSpotSandboxState({
    accessTokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 1800,
    webhookRetry: { firstDelayMs: 50, maxRetries: 8 },
  });
  const hubspot = await listen(createHubSpotSandbox(hubspotState));
  const telegram = await startTelegramSandbox();
  const whatsappApp = createWhatsAppSandbox({ ...WHATSAPP, statusDelayMs: 50 });
  const whatsapp = await listen(whatsappApp as unknown as express.Express);

  // The api's port is needed to register the channel; the app is built once the channel exists.
  let handler: http.RequestListener = (_req, res) => void res.writeHead(503).end();
  const apiServer = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => apiServer.listen(0, '127.0.0.1', () => r()));
  const apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
  const publicUrl = options.publicUrl?.(apiUrl) ?? apiUrl;

  const registered = await fetch(
    `${hubspot.url}/conversations/v3/custom-channels?hapikey=${hubspotState.app.developerApiKey}&appId=${hubspotState.app.appId}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'channel-bridge',
        channelDescription: 'Telegram, WhatsApp and signed webhooks',
        webhookUrl: `${apiUrl}/webhooks/hubspot`,
        channelAccountConnectionRedirectUrl: `${apiUrl}/connect`,
        capabilities: {
          threadingModel: 'INTEGRATION_THREAD_ID',
          deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID', 'HS_PHONE_NUMBER'],
          allowOutgoingMessages: true,
        },
      }),
    },
  );
  const channelId = ((await registered.json()) as { id: string }).id;
  const portal = [...hubspotState.portals.values()][0]!;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-connect-'));
  const encryptionKey = randomBytes(32);
  const store = openSqliteStore({ path: path.join(dir, 'bridge.sqlite'), encryptionKey });
  const logs: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );

  const oauthApp = {
    baseUrl: hubspot.url,
    clientId: hubspotState.app.clientId,
    clientSecret: hubspotState.app.clientSecret,
    redirectUri: `${apiUrl}/oauth/callback`,
  };
  const tokens = createTokenProvider({
    store,
    ...(options.oauth ? {} : { staticToken: portal.accessToken }),
    oauth: oauthApp,
    refreshMarginSeconds: 1,
  });
  const channelAccounts = createChannelAccountsClient({
    baseUrl: hubspot.url,
    channelId,
    accessTokenFor: tokens.accessTokenFor,
  });
  const providers = { telegram: { apiBaseUrl: telegram.url }, whatsapp: { graphBaseUrl: whatsapp.url } };
  const connect: ConnectDeps = {
    store,
    logger,
    publicUrl,
    stateKey: stateKeyFrom(encryptionKey),
    tokens,
    channelAccounts,
    channelId,
    providers,
    oauth: { app: oauthApp, authorizeUrl: `${hubspot.url}/oauth/authorize`, scopes: DEFAULT_SCOPES },
  };

  const { client, connection, close: closeClient } = await connectClient();
  const taskQueue = `connect-${randomUUID()}`;
  handler = createApp({
    store,
    temporal: client,
    taskQueue,
    logger,
    maxBodyBytes: 1 << 20,
    checkTemporal: () => connection.healthService.check({}),
    hubspotWebhook: { url: `${apiUrl}/webhooks/hubspot`, clientSecret: hubspotState.app.clientSecret },
    connect,
    adminToken: ADMIN_TOKEN,
  }) as unknown as http.RequestListener;

  let worker: Worker | undefined;
  let workerConnection: NativeConnection | undefined;
  let running: Promise<void> | undefined;
  if (options.worker) {
    workerConnection = await connectWorker();
    worker = await createBridgeWorker({
      connection: workerConnection,
      namespace: 'default',
      taskQueue,
      deps: {
        store,
        hubspot: createHubSpotClient({ baseUrl: hubspot.url, channelId, accessTokenFor: tokens.accessTokenFor }),
        channelAccounts,
        providerEndpoints: { settings: providers },
        // Replies write SENT / FAILED back to HubSpot with the same per-portal tokens.
        hubspotOutbound: createHubSpotOutboundClient({ baseUrl: hubspot.url, accessTokenFor: tokens.accessTokenFor }),
      },
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
    running = worker.run();
  }

  /** HubSpot's "Connect a channel" click: a staging token and the page URL HubSpot opens. */
  const startConnect = async (body: Record<string, string> = {}) => {
    const res = await fetch(`${hubspot.url}/_sandbox/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channelId, ...body }),
    });
    return (await res.json()) as { accountToken: string; url: string };
  };
  /** Submits the connection page's form for one provider, as the browser would. */
  const submitConnect = async (started: { url: string }, fields: Record<string, string>) => {
    const q = new URL(started.url).searchParams;
    const form = new URLSearchParams({
      accountToken: q.get('accountToken') ?? '',
      portalId: q.get('portalId') ?? '',
      redirectUrl: q.get('redirectUrl') ?? '',
      ...fields,
    });
    const res = await fetch(`${apiUrl}/connect`, { method: 'POST', body: form });
    return { status: res.status, html: await res.text() };
  };
  const sandboxAdmin = (method: string, p: string, body?: unknown) =>
    fetch(`${hubspot.url}/_sandbox${p}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });

  return {
    hubspotState,
    hubspotUrl: hubspot.url,
    telegram,
    whatsappUrl: whatsapp.url,
    whatsapp: whatsappApp,
    apiUrl,
    channelId,
    portal,
    store,
    logs,
    client,
    taskQueue,
    encryptionKey,
    startConnect,
    submitConnect,
    sandboxAdmin,
    async stop() {
      worker?.shutdown();
      await running;
      await workerConnection?.close();
      apiServer.closeAllConnections();
      await new Promise<void>((r) => apiServer.close(() => r()));
      await closeClient();
      await telegram.close();
      (whatsappApp as { stopTimers?: () => void }).stopTimers?.();
      whatsapp.server.closeAllConnections();
      await new Promise<void>((r) => whatsapp.server.close(() => r()));
      hubspot.server.closeAllConnections();
      await new Promise<void>((r) => hubspot.server.close(() => r()));
      await store.close();
    },
  };
}
export type ConnectWorld = Awaited<ReturnType<typeof startConnectWorld>>;

/** What packages/dev-tools/src/local/demo-seed.ts needs to connect accounts the way `npm start` does, in this world. */
export function seedContextOf(world: ConnectWorld): SeedContext {
  const info = { app: world.hubspotState.app, portals: [world.portal] } as unknown as SandboxInfo;
  return {
    sandboxUrl: world.hubspotUrl,
    info,
    channelId: world.channelId,
    apiPublicUrl: world.apiUrl,
    store: world.store,
  };
}
