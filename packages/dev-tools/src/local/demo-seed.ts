import { randomBytes } from 'node:crypto';
import { asAccountId } from '../../../bridge/src/domain/ids.js';
import type { DeliveryIdentifier, Store } from '../../../bridge/src/store/types.js';

/** The providers the local run has emulators for (src/sandbox): the demo connects one account of each. */
export const DEMO_PROVIDERS = ['telegram', 'whatsapp', 'generic', 'twilio'] as const;
export type DemoProvider = (typeof DEMO_PROVIDERS)[number];

/** What `/_sandbox/info` tells about the sandbox HubSpot. */
export interface SandboxInfo {
  readonly app: { appId: number; developerApiKey: string; clientId: string; clientSecret: string };
  readonly portals: { portalId: string; accessToken: string; inboxId: string }[];
  readonly channels?: { id: string; archived?: boolean }[];
  readonly channelAccounts?: { id: string; channelId: string; archived: boolean }[];
}

/** One demo account as local.json describes it: enough for a script to act as the customer's service. */
export interface DemoAccount {
  readonly provider: DemoProvider;
  readonly name: string;
  readonly channelAccountId: string;
  /** Where the provider posts webhooks for this account. */
  readonly webhookUrl: string;
  /**
   * The secret a sender needs: generic signing secret, WhatsApp app secret, Telegram secret token, Twilio auth token.
   */
  readonly secret: string;
  /** The emulator page where a person writes as the customer. */
  readonly customerPage?: string;
}

/** Where a provider posts webhooks for one account. */
export const accountWebhookUrl = (apiPublicUrl: string, provider: DemoProvider, channelAccountId: string) =>
  `${apiPublicUrl}/webhooks/${provider}/${channelAccountId}`;

export const randomSecret = (bytes = 24) => randomBytes(bytes).toString('base64url');

async function call<T>(url: string, init: RequestInit, expected: number): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  if (res.status !== expected)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Registers the custom channel in the sandbox the way an app developer would (developer API key + appId),
 * through HubSpot's own API path.
 */
export async function registerDemoChannel(
  sandboxUrl: string,
  info: SandboxInfo,
  apiPublicUrl: string,
): Promise<string> {
  const channel = await call<{ id: string }>(
    `${sandboxUrl}/conversations/v3/custom-channels?hapikey=${info.app.developerApiKey}&appId=${info.app.appId}`,
    {
      method: 'POST',
      body: JSON.stringify({
        name: 'channel-bridge (local)',
        channelDescription: 'Telegram, WhatsApp, Twilio SMS and any signed-webhook service, bridged by channel-bridge',
        ...channelUrls(apiPublicUrl),
        capabilities: {
          deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID', 'HS_PHONE_NUMBER'],
          threadingModel: 'INTEGRATION_THREAD_ID',
          richText: ['HYPERLINK', 'BOLD', 'ITALIC'],
          allowInlineImages: false,
          allowOutgoingMessages: true,
          allowConversationStart: false,
          allowMultipleRecipients: false,
          outgoingAttachmentTypes: ['FILE'],
          allowedFileAttachmentMimeTypes: ['image/*', 'audio/*', 'video/*', 'application/pdf'],
          maxFileAttachmentCount: 5,
          maxFileAttachmentSizeBytes: 20_000_000,
          maxTotalFileAttachmentSizeBytes: 50_000_000,
        },
      }),
    },
    201,
  );
  return channel.id;
}

const channelUrls = (apiPublicUrl: string) => ({
  webhookUrl: `${apiPublicUrl}/webhooks/hubspot`,
  channelAccountConnectionRedirectUrl: `${apiPublicUrl}/connect`,
});

/**
 * Points a reused channel at this run's api (its port may have changed), the way an app developer would. Idempotent.
 */
export async function repointDemoChannel(
  sandboxUrl: string,
  info: SandboxInfo,
  channelId: string,
  apiPublicUrl: string,
): Promise<void> {
  await call(
    `${sandboxUrl}/conversations/v3/custom-channels/${channelId}?hapikey=${info.app.developerApiKey}&appId=${info.app.appId}`,
    { method: 'PATCH', body: JSON.stringify(channelUrls(apiPublicUrl)) },
    200,
  );
}

export interface SeedContext {
  readonly sandboxUrl: string;
  readonly info: SandboxInfo;
  readonly channelId: string;
  readonly apiPublicUrl: string;
  readonly store: Store;
}

/**
 * Connects one account in the sandbox HubSpot (HubSpot's API) and stores its provider credentials in the bridge.
 * `credentials` may be a function of the account's webhook URL, for a provider that stores it (it is known only once
 * HubSpot has named the account).
 */
export async function connectDemoAccount(
  ctx: SeedContext,
  provider: DemoProvider,
  name: string,
  deliveryIdentifier: DeliveryIdentifier,
  credentials: Record<string, string> | ((webhookUrl: string) => Record<string, string>),
): Promise<{ channelAccountId: string; webhookUrl: string }> {
  const portal = ctx.info.portals[0]!;
  const account = await call<{ id: string; name: string }>(
    `${ctx.sandboxUrl}/conversations/v3/custom-channels/${ctx.channelId}/channel-accounts`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${portal.accessToken}` },
      body: JSON.stringify({ inboxId: portal.inboxId, name, authorized: true, deliveryIdentifier }),
    },
    201,
  );
  const webhookUrl = accountWebhookUrl(ctx.apiPublicUrl, provider, account.id);
  await ctx.store.upsertAccount({
    accountId: asAccountId(account.id),
    portalId: portal.portalId,
    channelId: ctx.channelId,
    provider,
    name: account.name,
    deliveryIdentifier,
    authorized: true,
    credentials: typeof credentials === 'function' ? credentials(webhookUrl) : credentials,
  });
  return { channelAccountId: account.id, webhookUrl };
}
