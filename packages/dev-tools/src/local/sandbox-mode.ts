import path from 'node:path';
import { UNUSABLE_STATE_EXIT_CODE } from '../../../sandbox/src/persistence.js';
import { openSqliteStore } from '../../../bridge/src/store/sqlite.js';
import type { Store } from '../../../bridge/src/store/types.js';
import { httpOk, ownLog, spawnEntrypoint, waitUntil, type ManagedChild } from './children.js';
import {
  CUSTOMER_PAGE_PATHS,
  seedGenericAccount,
  seedTelegramAccount,
  seedTwilioAccount,
  seedWhatsAppAccount,
  setTelegramWebhook,
  setTwilioWebhook,
  subscribeWhatsAppWebhook,
  telegramDemoBotToken,
  whatsappDemoSecrets,
} from './demo-accounts.js';
import { reuseDemoWorld } from './demo-reuse.js';
import { registerDemoChannel, type DemoAccount, type DemoProvider, type SandboxInfo } from './demo-seed.js';
import { readDemoWorld, saveDemoWorld, type DemoWorld } from './demo-world.js';
import { localEncryptionKey } from './local-secrets.js';

export interface SandboxPorts {
  readonly hubspot: number;
  readonly telegram: number;
  readonly whatsapp: number;
  readonly generic: number;
  readonly twilio: number;
}

export interface SandboxMode {
  readonly children: ManagedChild[];
  readonly hubspotUrl: string;
  readonly info: SandboxInfo;
  readonly channelId: string;
  readonly accounts: DemoAccount[];
  /** True when the world saved in the data folder by an earlier run was loaded instead of seeding a new one. */
  readonly reused: boolean;
  /** Webhook deliveries the emulators resumed from the last run: the senders have retries pending. */
  readonly resumedDeliveries: number;
  /** Environment for the api and worker: HubSpot and provider endpoints point at the sandboxes. */
  readonly bridgeEnv: NodeJS.ProcessEnv;
  /** Steps that need the api to answer first (provider webhook subscriptions). */
  afterApiReady(): Promise<void>;
}

/** Where the emulators keep their worlds between runs. */
export const sandboxStateDir = (dataDir: string) => path.join(dataDir, 'sandbox');

/**
 * Starts the stand-ins (HubSpot, Telegram, WhatsApp, the generic connector, Twilio). On the first start it registers
 * the
 * channel and one demo account per provider through the sandboxes' real APIs and stores the accounts' credentials;
 * on later starts on the same data folder the emulators load their saved worlds and the same channel, accounts and
 * secrets are reused (a world saved before a provider had its emulator gets that provider's account). Throws
 * UnusableWorldError (a readable message naming `--fresh`) when the saved world is broken.
 */
export async function startSandboxMode(
  dataDir: string,
  ports: SandboxPorts,
  apiUrl: string,
  children: ManagedChild[],
  /**
   * Extra settings for the sandbox and generic emulator processes, e.g. SANDBOX_HUBSPOT_RATE_LIMIT_MAX
   * (packages/sandbox/src/hubspot/options.ts).
   */
  sandboxEnv: NodeJS.ProcessEnv = {},
): Promise<SandboxMode> {
  const logDir = path.join(dataDir, 'logs');
  const urls: Record<DemoProvider | 'hubspot', string> = {
    hubspot: `http://127.0.0.1:${ports.hubspot}`,
    telegram: `http://127.0.0.1:${ports.telegram}`,
    whatsapp: `http://127.0.0.1:${ports.whatsapp}`,
    generic: `http://127.0.0.1:${ports.generic}`,
    twilio: `http://127.0.0.1:${ports.twilio}`,
  };
  const saved = readDemoWorld(dataDir);
  const botToken = saved?.botToken ?? telegramDemoBotToken();
  const whatsapp = saved?.whatsapp ?? whatsappDemoSecrets();
  const stateEnv = { SANDBOX_STATE_DIR: sandboxStateDir(dataDir) };

  const sandbox = spawnEntrypoint(
    'sandbox',
    'packages/sandbox/src/main.ts',
    {
      SANDBOX_HUBSPOT_PORT: String(ports.hubspot),
      SANDBOX_TELEGRAM_PORT: String(ports.telegram),
      SANDBOX_TELEGRAM_BOT_TOKEN: botToken,
      SANDBOX_WHATSAPP_PORT: String(ports.whatsapp),
      SANDBOX_WHATSAPP_ACCESS_TOKEN: whatsapp.accessToken,
      SANDBOX_WHATSAPP_APP_SECRET: whatsapp.appSecret,
      SANDBOX_WHATSAPP_VERIFY_TOKEN: whatsapp.verifyToken,
      SANDBOX_TWILIO_PORT: String(ports.twilio),
      ...stateEnv,
      ...sandboxEnv,
    },
    logDir,
  );
  children.push(sandbox);
  await untilListening(
    sandbox,
    `${urls.hubspot}/_sandbox/info`,
    `${urls.whatsapp}/_sandbox/whatsapp/state`,
    `${urls.telegram}/_sandbox/telegram/`,
    `${urls.twilio}${CUSTOMER_PAGE_PATHS.twilio}`,
  );

  const info = (await (await fetch(`${urls.hubspot}/_sandbox/info`)).json()) as SandboxInfo;
  const encryptionKey = localEncryptionKey(dataDir);
  const store = openSqliteStore({
    path: path.join(dataDir, 'bridge.sqlite'),
    encryptionKey: Buffer.from(encryptionKey, 'base64'),
  });
  let world: DemoWorld;
  try {
    const reuse = {
      dataDir,
      sandboxUrl: urls.hubspot,
      info,
      apiPublicUrl: apiUrl,
      store,
      customerPages: customerPages(urls),
      genericCallbackUrl: `${urls.generic}/connector/callback`,
      // Twilio's account needs no secret the world keeps (the emulator's test account is fixed).
      seedMissing: {
        twilio: (channelId: string) =>
          seedTwilioAccount({ sandboxUrl: urls.hubspot, info, channelId, apiPublicUrl: apiUrl, store }, urls.twilio),
      },
    };
    const channelAndAccounts = saved
      ? { channelId: saved.channelId, accounts: await reuseDemoWorld(reuse, saved) }
      : await seedDemoAccounts(urls, info, apiUrl, store, botToken, whatsapp);
    world = { ...channelAndAccounts, botToken, whatsapp };
  } finally {
    await store.close();
  }
  saveDemoWorld(dataDir, world);

  const account = (provider: DemoProvider) => world.accounts.find((a) => a.provider === provider)!;
  const genericEmulator = spawnEntrypoint(
    'generic-emulator',
    'packages/sandbox/src/generic/main.ts',
    {
      GENERIC_SANDBOX_PORT: String(ports.generic),
      GENERIC_BRIDGE_URL: account('generic').webhookUrl,
      GENERIC_SIGNING_SECRET: account('generic').secret,
      ...stateEnv,
      ...sandboxEnv,
    },
    logDir,
  );
  children.push(genericEmulator);
  await untilListening(genericEmulator, `${urls.generic}/_sandbox/generic/info`);

  const portal = info.portals[0]!;
  return {
    children,
    hubspotUrl: urls.hubspot,
    info,
    channelId: world.channelId,
    accounts: [...world.accounts],
    reused: saved !== undefined,
    resumedDeliveries: resumedDeliveries(sandbox) + resumedDeliveries(genericEmulator),
    bridgeEnv: {
      HUBSPOT_BASE_URL: urls.hubspot,
      HUBSPOT_ACCESS_TOKEN: portal.accessToken,
      HUBSPOT_CHANNEL_ID: world.channelId,
      HUBSPOT_CLIENT_ID: info.app.clientId,
      HUBSPOT_CLIENT_SECRET: info.app.clientSecret,
      HUBSPOT_APP_ID: String(info.app.appId),
      HUBSPOT_DEVELOPER_API_KEY: info.app.developerApiKey,
      BRIDGE_ENCRYPTION_KEY: encryptionKey,
      WHATSAPP_GRAPH_BASE_URL: urls.whatsapp,
      TELEGRAM_API_BASE_URL: urls.telegram,
      TWILIO_API_BASE_URL: urls.twilio,
      TWILIO_MESSAGING_API_BASE_URL: urls.twilio,
      // The emulators serve media on loopback; only the local run may fetch from there.
      BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS: '127.0.0.1',
    },
    // Idempotent, so a reused world is simply pointed at this run's api again.
    afterApiReady: async () => {
      await subscribeWhatsAppWebhook(urls.whatsapp, account('whatsapp'), whatsapp.verifyToken);
      await setTelegramWebhook(urls.telegram, account('telegram'), botToken);
      await setTwilioWebhook(urls.twilio, account('twilio'));
    },
  };
}

/** A new world: the channel and one account per provider, in the order local.json lists them. */
async function seedDemoAccounts(
  urls: Record<DemoProvider | 'hubspot', string>,
  info: SandboxInfo,
  apiUrl: string,
  store: Store,
  botToken: string,
  whatsapp: DemoWorld['whatsapp'],
): Promise<{ channelId: string; accounts: DemoAccount[] }> {
  const channelId = await registerDemoChannel(urls.hubspot, info, apiUrl);
  const ctx = { sandboxUrl: urls.hubspot, info, channelId, apiPublicUrl: apiUrl, store };
  const generic = await seedGenericAccount(ctx, urls.generic);
  const whatsappAccount = await seedWhatsAppAccount(ctx, urls.whatsapp, whatsapp);
  const telegram = await seedTelegramAccount(ctx, urls.telegram, botToken);
  const twilio = await seedTwilioAccount(ctx, urls.twilio);
  return { channelId, accounts: [generic, telegram, whatsappAccount, twilio] };
}

const customerPages = (urls: Record<DemoProvider, string>): Record<DemoProvider, string> => ({
  generic: `${urls.generic}${CUSTOMER_PAGE_PATHS.generic}`,
  telegram: `${urls.telegram}${CUSTOMER_PAGE_PATHS.telegram}`,
  whatsapp: `${urls.whatsapp}${CUSTOMER_PAGE_PATHS.whatsapp}`,
  twilio: `${urls.twilio}${CUSTOMER_PAGE_PATHS.twilio}`,
});

/** Waits for each URL. An emulator that refused its saved state said why (naming --fresh) on its last log line. */
async function untilListening(child: ManagedChild, ...urls: string[]): Promise<void> {
  try {
    for (const url of urls) await waitUntil(child, 'listening', httpOk(url));
  } catch (error) {
    if (child.process.exitCode !== UNUSABLE_STATE_EXIT_CODE) throw error;
    throw new Error(ownLog(child).trim().split('\n').at(-1));
  }
}

/** What the emulators said they resume ("sandbox state restored" lines in their own logs). */
function resumedDeliveries(child: ManagedChild): number {
  let total = 0;
  for (const line of ownLog(child).split('\n')) {
    if (!line.includes('"sandbox state restored"')) continue;
    total += Number((JSON.parse(line) as { resumedDeliveries?: number }).resumedDeliveries ?? 0);
  }
  return total;
}
