import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type express from 'express';
import pg from 'pg';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../../packages/bridge/src/domain/search-attributes.js';
import { createHubSpotClient } from '../../packages/bridge/src/hubspot/client.js';
import { DEFAULT_SCOPES, exchangeCode } from '../../packages/bridge/src/hubspot/oauth.js';
import {
  seedTelegramAccount,
  seedWhatsAppAccount,
  setTelegramWebhook,
  whatsappDemoSecrets,
} from '../../packages/dev-tools/src/local/demo-accounts.js';
import {
  registerDemoChannel,
  type DemoAccount,
  type SandboxInfo,
} from '../../packages/dev-tools/src/local/demo-seed.js';
import { createHubSpotSandbox } from '../../packages/sandbox/src/hubspot/app.js';
import { createHubSpotSandboxState } from '../../packages/sandbox/src/hubspot/state.js';
import { createWhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import { openPostgresStore } from '../../packages/bridge/src/store/postgres.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { createBridgeWorker } from '../../packages/bridge/src/temporal/worker.js';
import { listen } from '../helpers/bridge.js';
import { startTelegramSandbox } from '../helpers/telegram-sandbox.js';
import { connectWorker, temporalAddress, waitFor } from '../helpers/temporal.js';

/** Where HubSpot and the providers are told the bridge is. Nothing calls it: doctor reads what they were told. */
export const PUBLIC_URL = 'https://bridge.doctor.example';

/** Registers a namespace on the suite's dev server: retention in days, and the bridge's search attributes or none. */
export async function freshNamespace(
  connection: Connection,
  options: { retentionDays: number; searchAttributes: boolean },
): Promise<string> {
  const namespace = `doctor-${randomUUID()}`;
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs(`${options.retentionDays} days`),
  });
  if (options.searchAttributes) {
    const keyword = 2; // INDEXED_VALUE_TYPE_KEYWORD
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, keyword])),
    });
  }
  return namespace;
}

/** A new PostgreSQL database on the suite's cluster (BRIDGE_TEST_DATABASE_URL), or undefined without one. */
export async function freshDatabase(): Promise<string | undefined> {
  const adminUrl = process.env.BRIDGE_TEST_DATABASE_URL;
  if (!adminUrl) return undefined;
  const name = `doctor_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A live setup in miniature, built the way `npm start` seeds one: the HubSpot sandbox with the channel registered for
 * PUBLIC_URL, a Telegram bot and a WhatsApp number connected (provider credentials sealed in the store, the bot's
 * webhook set), a second portal installed through OAuth, and the bridge's worker polling a namespace of its own with a
 * 8-day retention and the search attributes.
 */
export async function startDoctorWorld(options: { databaseUrl?: string } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-doctor-'));
  const hubspotState = createHubSpotSandboxState();
  const hubspot = await listen(createHubSpotSandbox(hubspotState));
  const telegram = await startTelegramSandbox();
  const whatsappSecrets = whatsappDemoSecrets();
  const whatsappApp = createWhatsAppSandbox(whatsappSecrets);
  const whatsapp = await listen(whatsappApp as unknown as express.Express);

  const encryptionKey = randomBytes(32);
  const sqlitePath = path.join(dir, 'bridge.sqlite');
  const store: Store = options.databaseUrl
    ? await openPostgresStore({ url: options.databaseUrl, encryptionKey, poolSize: 2 })
    : openSqliteStore({ path: sqlitePath, encryptionKey });

  const info = (await (await fetch(`${hubspot.url}/_sandbox/info`)).json()) as SandboxInfo;
  const channelId = await registerDemoChannel(hubspot.url, info, PUBLIC_URL);
  const ctx = { sandboxUrl: hubspot.url, info, channelId, apiPublicUrl: PUBLIC_URL, store };
  const telegramAccount: DemoAccount = await seedTelegramAccount(ctx, telegram.url, telegram.token);
  await setTelegramWebhook(telegram.url, telegramAccount, telegram.token);
  const whatsappAccount: DemoAccount = await seedWhatsAppAccount(ctx, whatsapp.url, whatsappSecrets);
  // Meta's callback URL for the app, as npm start's subscribeWhatsAppWebhook sets it but without its handshake:
  // PUBLIC_URL is not served, and doctor reads where the webhooks go, not whether they arrive.
  whatsappApp.whatsapp.webhook.url = whatsappAccount.webhookUrl;
  const installed = await installPortal(hubspot.url, info, store);

  const connection = await Connection.connect({ address: temporalAddress() });
  const namespace = await freshNamespace(connection, { retentionDays: 8, searchAttributes: true });
  const taskQueue = `doctor-${randomUUID()}`;
  const workerConnection: NativeConnection = await connectWorker();
  const worker: Worker = await createBridgeWorker({
    connection: workerConnection,
    namespace,
    taskQueue,
    deps: {
      store,
      hubspot: createHubSpotClient({
        baseUrl: hubspot.url,
        channelId,
        accessTokenFor: async () => info.portals[0]!.accessToken,
      }),
    },
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  });
  const running = worker.run();
  await waitFor(
    async () => {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: 1,
      });
      return pollers?.length ? true : undefined;
    },
    30_000,
    'the worker polling its task queue',
  );

  // Settings override the world's; an empty env file keeps a developer's .env out of a child's settings.
  const emptyEnvFile = path.join(dir, 'empty.env');
  fs.writeFileSync(emptyEnvFile, '');
  const env = (overrides: Record<string, string | undefined> = {}): Record<string, string> => {
    const settings: Record<string, string | undefined> = {
      BRIDGE_ENV_FILE: emptyEnvFile,
      BRIDGE_PUBLIC_URL: PUBLIC_URL,
      BRIDGE_ENCRYPTION_KEY: encryptionKey.toString('base64'),
      ...(options.databaseUrl ? { BRIDGE_DATABASE_URL: options.databaseUrl } : { BRIDGE_SQLITE_PATH: sqlitePath }),
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      HUBSPOT_BASE_URL: hubspot.url,
      HUBSPOT_CHANNEL_ID: channelId,
      HUBSPOT_CLIENT_ID: info.app.clientId,
      HUBSPOT_CLIENT_SECRET: info.app.clientSecret,
      HUBSPOT_APP_ID: String(info.app.appId),
      HUBSPOT_DEVELOPER_API_KEY: info.app.developerApiKey,
      // The sandbox's first portal has a static token, as under npm start; the second one installed through OAuth.
      HUBSPOT_ACCESS_TOKEN: info.portals[0]!.accessToken,
      TELEGRAM_API_BASE_URL: telegram.url,
      WHATSAPP_GRAPH_BASE_URL: whatsapp.url,
      ...overrides,
    };
    return Object.fromEntries(Object.entries(settings).filter((e): e is [string, string] => e[1] !== undefined));
  };

  return {
    dir,
    hubspotState,
    hubspotUrl: hubspot.url,
    telegram,
    whatsappUrl: whatsapp.url,
    whatsappState: whatsappApp.whatsapp,
    whatsappSecrets,
    store,
    sqlitePath,
    encryptionKey,
    info,
    channelId,
    telegramAccount,
    whatsappAccount,
    installed,
    connection,
    namespace,
    taskQueue,
    env,
    async stop() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
      await telegram.close();
      (whatsappApp as { stopTimers?: () => void }).stopTimers?.();
      for (const server of [whatsapp.server, hubspot.server]) {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
      await store.close();
    },
  };
}
export type DoctorWorld = Awaited<ReturnType<typeof startDoctorWorld>>;

/** An admin installs the app in a new portal through HubSpot's OAuth pages; the bridge seals the tokens it got. */
async function installPortal(
  hubspotUrl: string,
  info: SandboxInfo,
  store: Store,
): Promise<{ portalId: string; refreshToken: string }> {
  const app = {
    baseUrl: hubspotUrl,
    clientId: info.app.clientId,
    clientSecret: info.app.clientSecret,
    redirectUri: `${PUBLIC_URL}/oauth/callback`,
  };
  const form = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    scope: DEFAULT_SCOPES.join(' '),
    state: 'doctor',
    portalId: 'new',
  });
  const decided = await fetch(`${hubspotUrl}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(decided.headers.get('location')!).searchParams.get('code')!;
  const grant = await exchangeCode(app, code);
  await store.savePortalTokens({
    portalId: grant.portalId,
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    expiresAt: new Date(Date.now() + grant.expiresInSeconds * 1000).toISOString(),
    scopes: grant.scopes,
    status: 'active',
  });
  return { portalId: grant.portalId, refreshToken: grant.refreshToken };
}
