import { randomBytes } from 'node:crypto';
import { asAccountId } from '../domain/ids.js';
import type { Store } from '../store/types.js';

/** What `/_sandbox/info` tells about the sandbox HubSpot. */
export interface SandboxInfo {
  readonly app: { appId: number; developerApiKey: string; clientId: string; clientSecret: string };
  readonly portals: { portalId: string; accessToken: string; inboxId: string }[];
}

export interface DemoAccount {
  readonly provider: 'generic';
  readonly name: string;
  readonly channelAccountId: string;
  readonly webhookUrl: string;
  readonly signingSecret: string;
}

async function call<T>(url: string, init: RequestInit, expected: number): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  if (res.status !== expected) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Registers the custom channel in the sandbox the way an app developer would (developer API key + appId),
 * then connects one generic demo account, through HubSpot's own API paths.
 */
export async function registerDemoChannel(sandboxUrl: string, info: SandboxInfo, apiPublicUrl: string): Promise<string> {
  const channel = await call<{ id: string }>(
    `${sandboxUrl}/conversations/v3/custom-channels?hapikey=${info.app.developerApiKey}&appId=${info.app.appId}`,
    {
      method: 'POST',
      body: JSON.stringify({
        name: 'channel-bridge (local)',
        channelDescription: 'Telegram, WhatsApp and any signed-webhook service, bridged by channel-bridge',
        webhookUrl: `${apiPublicUrl}/webhooks/hubspot`,
        channelAccountConnectionRedirectUrl: `${apiPublicUrl}/connect`,
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

export async function connectGenericDemoAccount(
  sandboxUrl: string,
  info: SandboxInfo,
  channelId: string,
  apiPublicUrl: string,
  store: Store,
): Promise<DemoAccount> {
  const portal = info.portals[0]!;
  const deliveryIdentifier = { type: 'CHANNEL_SPECIFIC_OPAQUE_ID' as const, value: 'generic-demo' };
  const account = await call<{ id: string; name: string }>(
    `${sandboxUrl}/conversations/v3/custom-channels/${channelId}/channel-accounts`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${portal.accessToken}` },
      body: JSON.stringify({ inboxId: portal.inboxId, name: 'Generic demo connector', authorized: true, deliveryIdentifier }),
    },
    201,
  );
  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  await store.upsertAccount({
    accountId: asAccountId(account.id),
    portalId: portal.portalId,
    channelId,
    provider: 'generic',
    name: account.name,
    deliveryIdentifier,
    authorized: true,
    credentials: { signingSecret },
  });
  return {
    provider: 'generic',
    name: account.name,
    channelAccountId: account.id,
    webhookUrl: `${apiPublicUrl}/webhooks/generic/${account.id}`,
    signingSecret,
  };
}
