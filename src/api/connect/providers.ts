import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ProviderKind } from '../../domain/ids.js';
import { deleteWebhook, getMe, setWebhook } from '../../providers/telegram/bot-setup.js';
import { lookupPhoneNumber } from '../../providers/whatsapp/phone-number.js';
import type { DeliveryIdentifier } from '../../store/types.js';
import type { ConnectDeps } from './deps.js';
import { ConnectError, providerConnectError } from './errors.js';

/** What checking and setting up one provider account produced. `credentials` are only ever stored sealed. */
export interface ProviderSetup {
  readonly accountName: string;
  readonly deliveryIdentifier: DeliveryIdentifier;
  readonly credentials: Readonly<Record<string, string>>;
  /** Shown once to the admin on the result page (a webhook URL, a generated secret to copy). */
  readonly shown: readonly { readonly label: string; readonly value: string; readonly secret?: boolean }[];
  /** Undoes what was set up at the provider (Telegram's webhook) when a later step fails. */
  undo(): Promise<void>;
}

const telegramForm = z.object({
  botToken: z.string({ required_error: 'The bot token is required (from @BotFather, /token).' }).trim().regex(/^\d+:[A-Za-z0-9_-]+$/, 'This is not a Telegram bot token. It looks like 123456789:AAH… and comes from @BotFather (/token).'),
});
const ACCESS_TOKEN_REQUIRED = 'The access token is required (a system user token with whatsapp_business_messaging).';
const APP_SECRET_REQUIRED = 'The app secret is required (App settings → Basic → App secret); it checks that webhooks come from Meta.';
const whatsappForm = z.object({
  phoneNumberId: z.string({ required_error: 'The phone number id is required (WhatsApp → API Setup in Meta\'s app dashboard).' }).trim().regex(/^\d+$/, 'The phone number id is the number shown under WhatsApp → API Setup in Meta\'s app dashboard (digits only).'),
  // It goes into an Authorization header: a control or non-ASCII character would make fetch throw (a 502 page).
  accessToken: z.string({ required_error: ACCESS_TOKEN_REQUIRED }).trim().min(1, ACCESS_TOKEN_REQUIRED).regex(/^[\x21-\x7e]+$/, 'This is not a WhatsApp access token: it has spaces or characters no token has. Copy it again from Meta\'s app dashboard.'),
  appSecret: z.string({ required_error: APP_SECRET_REQUIRED }).trim().min(1, APP_SECRET_REQUIRED),
});
const genericForm = z.object({
  accountName: z.string({ required_error: 'Give the account a name, as reps will see it in HubSpot.' }).trim().min(1, 'Give the account a name, as reps will see it in HubSpot.').max(100, 'The account name must be at most 100 characters.'),
  callbackUrl: z.union([z.literal(''), z.string().trim().url('The callback URL must be an absolute http(s) URL, e.g. https://connector.example.com/replies.')]).optional(),
});

function parseForm<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ConnectError(400, parsed.error.issues.map((i) => i.message).join(' '));
  return parsed.data;
}

/** One provider account is one channel account: connecting it twice would steal the first one's webhook. */
async function refuseIfConnected(deps: ConnectDeps, value: string, what: string): Promise<void> {
  const existing = (await deps.store.listAccounts()).find((a) => a.deliveryIdentifier.value === value);
  if (existing) {
    throw new ConnectError(409, `${what} is already connected to HubSpot as "${existing.name}" (channel account ${existing.accountId}, portal ${existing.portalId}). Remove that connection in HubSpot's inbox settings first, or connect another one.`);
  }
}

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');
export const webhookUrl = (deps: ConnectDeps, provider: ProviderKind, connectionId: string) => `${deps.publicUrl}/webhooks/${provider}/${connectionId}`;

async function telegram(deps: ConnectDeps, connectionId: string, body: unknown): Promise<ProviderSetup> {
  const { botToken } = parseForm(telegramForm, body);
  const endpoint = { apiBaseUrl: deps.providers.telegramApiBaseUrl, botToken, fetch: deps.fetch ?? fetch };
  let bot;
  try {
    bot = await getMe(endpoint);
  } catch (error) {
    throw providerConnectError('The bot token', error, 'Copy the token again from @BotFather (/token); it may have been revoked.');
  }
  await refuseIfConnected(deps, `telegram:${bot.id}`, `The bot @${bot.username ?? bot.id}`);
  const secretToken = secret(32);
  try {
    await setWebhook(endpoint, { url: webhookUrl(deps, 'telegram', connectionId), secretToken });
  } catch (error) {
    throw providerConnectError('Setting the bot\'s webhook', error, `Telegram must be able to reach ${deps.publicUrl} over HTTPS (BRIDGE_PUBLIC_URL).`);
  }
  const handle = bot.username ? `@${bot.username}` : `bot ${bot.id}`;
  return {
    accountName: `Telegram ${handle}`,
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `telegram:${bot.id}` },
    credentials: { botToken, secretToken },
    shown: [{ label: 'Bot', value: handle }],
    async undo() {
      await deleteWebhook(endpoint).catch(() => undefined);
    },
  };
}

async function whatsapp(deps: ConnectDeps, connectionId: string, body: unknown): Promise<ProviderSetup> {
  const form = parseForm(whatsappForm, body);
  let number;
  try {
    number = await lookupPhoneNumber({ phoneNumberId: form.phoneNumberId, accessToken: form.accessToken, graphBaseUrl: deps.providers.whatsappGraphBaseUrl, requestTimeoutMs: 15_000 }, { fetch: deps.fetch ?? fetch });
  } catch (error) {
    throw providerConnectError('The phone number id and access token', error, 'Check both in Meta\'s app dashboard (WhatsApp → API Setup); the token needs whatsapp_business_messaging.');
  }
  await refuseIfConnected(deps, `+${number.displayPhoneNumber.replace(/\D/g, '')}`, `The number ${number.displayPhoneNumber}`);
  const verifyToken = secret(24);
  return {
    accountName: `WhatsApp ${number.verifiedName} (${number.displayPhoneNumber})`,
    deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: `+${number.displayPhoneNumber.replace(/\D/g, '')}` },
    credentials: { phoneNumberId: form.phoneNumberId, accessToken: form.accessToken, appSecret: form.appSecret, verifyToken },
    shown: [
      { label: 'Callback URL (Meta → WhatsApp → Configuration → Webhook)', value: webhookUrl(deps, 'whatsapp', connectionId) },
      { label: 'Verify token', value: verifyToken, secret: true },
    ],
    // Meta's webhook is set by the admin in Meta's dashboard, after this page: nothing to undo here.
    undo: async () => undefined,
  };
}

async function generic(deps: ConnectDeps, connectionId: string, body: unknown): Promise<ProviderSetup> {
  const form = parseForm(genericForm, body);
  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  return {
    accountName: form.accountName,
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `generic:${connectionId}` },
    credentials: { signingSecret, ...(form.callbackUrl ? { callbackUrl: form.callbackUrl } : {}) },
    shown: [
      { label: 'Webhook URL (your connector posts customer messages here)', value: webhookUrl(deps, 'generic', connectionId) },
      { label: 'Signing secret (Standard Webhooks)', value: signingSecret, secret: true },
      ...(form.callbackUrl ? [{ label: 'Replies are delivered to', value: form.callbackUrl }] : []),
    ],
    undo: async () => undefined,
  };
}

/** Checks the credentials live against the provider and points its webhook at the bridge. */
export function setUpProvider(deps: ConnectDeps, provider: ProviderKind, connectionId: string, body: unknown): Promise<ProviderSetup> {
  switch (provider) {
    case 'telegram':
      return telegram(deps, connectionId, body);
    case 'whatsapp':
      return whatsapp(deps, connectionId, body);
    case 'generic':
      return generic(deps, connectionId, body);
  }
}
