import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ProviderKind } from '../../domain/ids.js';
import { deleteOwnWebhook, getMe, setWebhook } from '../../providers/telegram/bot-setup.js';
import { lookupPhoneNumber } from '../../providers/whatsapp/phone-number.js';
import type { DeliveryIdentifier } from '../../store/types.js';
import { claimOrRefuse, releaseConnection } from './already-connected.js';
import type { ConnectDeps } from './deps.js';
import { ConnectError, providerConnectError } from './errors.js';
import { genericCallback, telegramBot, whatsappNumber } from './identity.js';

/** What checking and setting up one provider account produced. `credentials` are only ever stored sealed. */
export interface ProviderSetup {
  readonly accountName: string;
  readonly deliveryIdentifier: DeliveryIdentifier;
  readonly credentials: Readonly<Record<string, string>>;
  /** Shown once to the admin on the result page (a webhook URL, a generated secret to copy). */
  readonly shown: readonly { readonly label: string; readonly value: string; readonly secret?: boolean }[];
  /**
   * Gives the connection up when a later step fails: the provider-side change (Telegram's webhook, only while it still
   * points at this connection), the pending row if stored, and the claim on the bot or number.
   */
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

/** The portal the route already checked (src/api/routes/connect.ts): the form carries it. */
const portalOf = (body: unknown) => String((body as { portalId?: unknown } | null)?.portalId ?? '').trim();

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
  const handle = bot.username ? `@${bot.username}` : `bot ${bot.id}`;
  const accountName = `Telegram ${handle}`;
  const deliveryIdentifier: DeliveryIdentifier = { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `telegram:${bot.id}` };
  // Before setWebhook: a bot another account holds keeps its webhook.
  await claimOrRefuse(deps, { provider: 'telegram', identity: telegramBot(bot.id), deliveryIdentifier, connectionId, portalId: portalOf(body), name: accountName, what: `The bot ${handle}` });
  const url = webhookUrl(deps, 'telegram', connectionId);
  const secretToken = secret(32);
  try {
    await setWebhook(endpoint, { url, secretToken });
  } catch (error) {
    await releaseConnection(deps, connectionId);
    throw providerConnectError('Setting the bot\'s webhook', error, `Telegram must be able to reach ${deps.publicUrl} over HTTPS (BRIDGE_PUBLIC_URL).`);
  }
  return {
    accountName,
    deliveryIdentifier,
    credentials: { botToken, secretToken },
    shown: [{ label: 'Bot', value: handle }],
    async undo() {
      // Only while it still points at this connection: once the claim is released, another popup may have taken the bot.
      await deleteOwnWebhook(endpoint, (current) => current === url).catch((error: Error) => deps.logger.warn({ connectionId, reason: error.message }, 'could not remove the webhook of a connection given up'));
      await releaseConnection(deps, connectionId);
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
  const accountName = `WhatsApp ${number.verifiedName} (${number.displayPhoneNumber})`;
  const deliveryIdentifier: DeliveryIdentifier = { type: 'HS_PHONE_NUMBER', value: `+${number.displayPhoneNumber.replace(/\D/g, '')}` };
  await claimOrRefuse(deps, { provider: 'whatsapp', identity: whatsappNumber(form.phoneNumberId), deliveryIdentifier, connectionId, portalId: portalOf(body), name: accountName, what: `The number ${number.displayPhoneNumber}` });
  const verifyToken = secret(24);
  return {
    accountName,
    deliveryIdentifier,
    credentials: { phoneNumberId: form.phoneNumberId, accessToken: form.accessToken, appSecret: form.appSecret, verifyToken },
    shown: [
      { label: 'Callback URL (Meta → WhatsApp → Configuration → Webhook)', value: webhookUrl(deps, 'whatsapp', connectionId) },
      { label: 'Verify token', value: verifyToken, secret: true },
    ],
    // Meta's webhook is set by the admin in Meta's dashboard, after this page: only the claim to give up here.
    undo: () => releaseConnection(deps, connectionId),
  };
}

async function generic(deps: ConnectDeps, connectionId: string, body: unknown): Promise<ProviderSetup> {
  const form = parseForm(genericForm, body);
  const deliveryIdentifier: DeliveryIdentifier = { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `generic:${connectionId}` };
  const what = `The connector with the callback URL ${form.callbackUrl}`;
  await claimOrRefuse(deps, { provider: 'generic', identity: genericCallback(form.callbackUrl), deliveryIdentifier, connectionId, portalId: portalOf(body), name: form.accountName, what });
  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  return {
    accountName: form.accountName,
    deliveryIdentifier,
    credentials: { signingSecret, ...(form.callbackUrl ? { callbackUrl: form.callbackUrl } : {}) },
    shown: [
      { label: 'Webhook URL (your connector posts customer messages here)', value: webhookUrl(deps, 'generic', connectionId) },
      { label: 'Signing secret (Standard Webhooks)', value: signingSecret, secret: true },
      ...(form.callbackUrl ? [{ label: 'Replies are delivered to', value: form.callbackUrl }] : []),
    ],
    undo: () => releaseConnection(deps, connectionId),
  };
}

/**
 * Checks the credentials live against the provider, refuses a provider account that is already connected (or being
 * connected) anywhere in this bridge and claims it, and only then points its webhook at the bridge.
 */
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
