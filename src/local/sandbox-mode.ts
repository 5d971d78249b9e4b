import path from 'node:path';
import { openSqliteStore } from '../store/sqlite.js';
import { httpOk, spawnEntrypoint, waitUntil, type ManagedChild } from './children.js';
import {
  seedGenericAccount,
  seedTelegramAccount,
  seedWhatsAppAccount,
  setTelegramWebhook,
  subscribeWhatsAppWebhook,
  whatsappDemoSecrets,
} from './demo-accounts.js';
import { randomSecret } from './demo-seed.js';
import { registerDemoChannel, type DemoAccount, type SandboxInfo } from './demo-seed.js';
import { localEncryptionKey } from './local-secrets.js';

export interface SandboxPorts {
  readonly hubspot: number;
  readonly telegram: number;
  readonly whatsapp: number;
  readonly generic: number;
}

export interface SandboxMode {
  readonly children: ManagedChild[];
  readonly hubspotUrl: string;
  readonly info: SandboxInfo;
  readonly channelId: string;
  readonly accounts: DemoAccount[];
  /** Environment for the api and worker: HubSpot and provider endpoints point at the sandboxes. */
  readonly bridgeEnv: NodeJS.ProcessEnv;
  /** Steps that need the api to answer first (provider webhook subscriptions). */
  afterApiReady(): Promise<void>;
}

/**
 * Starts the stand-ins (HubSpot, Telegram, WhatsApp, the generic connector), registers the channel and one
 * demo account per provider through the sandboxes' real APIs, and stores the accounts' credentials.
 */
export async function startSandboxMode(
  dataDir: string,
  ports: SandboxPorts,
  apiUrl: string,
  children: ManagedChild[],
  /** Extra settings for the sandbox and generic emulator processes, e.g. SANDBOX_HUBSPOT_RATE_LIMIT_MAX (src/sandbox/hubspot/options.ts). */
  sandboxEnv: NodeJS.ProcessEnv = {},
): Promise<SandboxMode> {
  const logDir = path.join(dataDir, 'logs');
  const hubspotUrl = `http://127.0.0.1:${ports.hubspot}`;
  const telegramUrl = `http://127.0.0.1:${ports.telegram}`;
  const whatsappUrl = `http://127.0.0.1:${ports.whatsapp}`;
  const botToken = `${1_000_000 + Math.floor(Math.random() * 8_999_999)}:${randomSecret(24)}`;
  const genericUrl = `http://127.0.0.1:${ports.generic}`;
  const whatsapp = whatsappDemoSecrets();

  const sandbox = spawnEntrypoint('sandbox', 'src/sandbox/main.ts', {
    SANDBOX_HUBSPOT_PORT: String(ports.hubspot),
    SANDBOX_TELEGRAM_PORT: String(ports.telegram),
    SANDBOX_TELEGRAM_BOT_TOKEN: botToken,
    SANDBOX_WHATSAPP_PORT: String(ports.whatsapp),
    SANDBOX_WHATSAPP_ACCESS_TOKEN: whatsapp.accessToken,
    SANDBOX_WHATSAPP_APP_SECRET: whatsapp.appSecret,
    SANDBOX_WHATSAPP_VERIFY_TOKEN: whatsapp.verifyToken,
    ...sandboxEnv,
  }, logDir);
  children.push(sandbox);
  await waitUntil(sandbox, 'listening', httpOk(`${hubspotUrl}/_sandbox/info`));
  await waitUntil(sandbox, 'listening', httpOk(`${whatsappUrl}/_sandbox/whatsapp/state`));
  await waitUntil(sandbox, 'listening', httpOk(`${telegramUrl}/_sandbox/telegram/`));

  const info = (await (await fetch(`${hubspotUrl}/_sandbox/info`)).json()) as SandboxInfo;
  const channelId = await registerDemoChannel(hubspotUrl, info, apiUrl);
  const encryptionKey = localEncryptionKey(dataDir);
  const store = openSqliteStore({ path: path.join(dataDir, 'bridge.sqlite'), encryptionKey: Buffer.from(encryptionKey, 'base64') });
  const ctx = { sandboxUrl: hubspotUrl, info, channelId, apiPublicUrl: apiUrl, store };
  const generic = await seedGenericAccount(ctx, genericUrl);
  const whatsappAccount = await seedWhatsAppAccount(ctx, whatsappUrl, whatsapp);
  const telegramAccount = await seedTelegramAccount(ctx, telegramUrl, botToken);
  await store.close();

  const genericEmulator = spawnEntrypoint('generic-emulator', 'src/sandbox/generic/main.ts', {
    GENERIC_SANDBOX_PORT: String(ports.generic),
    GENERIC_BRIDGE_URL: generic.webhookUrl,
    GENERIC_SIGNING_SECRET: generic.secret,
    ...sandboxEnv,
  }, logDir);
  children.push(genericEmulator);
  await waitUntil(genericEmulator, 'listening', httpOk(`${genericUrl}/_sandbox/generic/info`));

  const portal = info.portals[0]!;
  return {
    children,
    hubspotUrl,
    info,
    channelId,
    accounts: [generic, telegramAccount, whatsappAccount],
    bridgeEnv: {
      HUBSPOT_BASE_URL: hubspotUrl,
      HUBSPOT_ACCESS_TOKEN: portal.accessToken,
      HUBSPOT_CHANNEL_ID: channelId,
      HUBSPOT_CLIENT_ID: info.app.clientId,
      HUBSPOT_CLIENT_SECRET: info.app.clientSecret,
      HUBSPOT_APP_ID: String(info.app.appId),
      HUBSPOT_DEVELOPER_API_KEY: info.app.developerApiKey,
      BRIDGE_ENCRYPTION_KEY: encryptionKey,
      WHATSAPP_GRAPH_BASE_URL: whatsappUrl,
      TELEGRAM_API_BASE_URL: telegramUrl,
      // The emulators serve media on loopback; only the local run may fetch from there.
      BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS: '127.0.0.1',
    },
    afterApiReady: async () => {
      await subscribeWhatsAppWebhook(whatsappUrl, whatsappAccount, whatsapp.verifyToken);
      await setTelegramWebhook(telegramUrl, telegramAccount, botToken);
    },
  };
}
