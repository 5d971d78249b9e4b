import { randomBytes } from 'node:crypto';
import { setWebhook, telegramEndpoint } from '../../../bridge/src/providers/telegram/index.js';
import { checkTwilioSender, twilioConnectForm } from '../../../bridge/src/providers/twilio/index.js';
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_PHONE_NUMBER } from '../../../sandbox/src/twilio/app.js';
import {
  connectDemoAccount,
  randomSecret,
  type DemoAccount,
  type DemoProvider,
  type SeedContext,
} from './demo-seed.js';

/** Where each emulator serves the page a person writes on as the customer. */
export const CUSTOMER_PAGE_PATHS: Readonly<Record<DemoProvider, string>> = {
  generic: '/',
  telegram: '/_sandbox/telegram/',
  whatsapp: '/_sandbox/whatsapp/',
  twilio: '/_sandbox/twilio/',
};

/** A bot token in Telegram's shape (`<bot id>:<secret>`), new for each fresh world. */
export const telegramDemoBotToken = () => `${1_000_000 + Math.floor(Math.random() * 8_999_999)}:${randomSecret(24)}`;

/** Credentials the local run hands to the WhatsApp emulator and to the bridge alike. */
export interface WhatsAppDemoSecrets {
  readonly accessToken: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
}

export function whatsappDemoSecrets(): WhatsAppDemoSecrets {
  return {
    accessToken: `EAAG${randomSecret()}`,
    appSecret: randomSecret(),
    verifyToken: randomSecret(12),
    phoneNumberId: '106540352242922',
    displayPhoneNumber: '15550783881',
  };
}

/** A generic connector account; its emulator is started afterwards with the secret and webhook URL. */
export async function seedGenericAccount(ctx: SeedContext, emulatorUrl: string): Promise<DemoAccount> {
  // Standard Webhooks secrets are base64 (not base64url) after the whsec_ prefix.
  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const { channelAccountId, webhookUrl } = await connectDemoAccount(
    ctx,
    'generic',
    'Generic demo connector',
    { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'generic-demo' },
    { signingSecret, callbackUrl: `${emulatorUrl}/connector/callback` },
  );
  return {
    provider: 'generic',
    name: 'Generic demo connector',
    channelAccountId,
    webhookUrl,
    secret: signingSecret,
    customerPage: `${emulatorUrl}${CUSTOMER_PAGE_PATHS.generic}`,
  };
}

/** A WhatsApp business number; the emulator's webhook is pointed at the bridge once the api answers. */
export async function seedWhatsAppAccount(
  ctx: SeedContext,
  emulatorUrl: string,
  secrets: WhatsAppDemoSecrets,
): Promise<DemoAccount> {
  const { channelAccountId, webhookUrl } = await connectDemoAccount(
    ctx,
    'whatsapp',
    'WhatsApp demo number',
    { type: 'HS_PHONE_NUMBER', value: `+${secrets.displayPhoneNumber}` },
    {
      phoneNumberId: secrets.phoneNumberId,
      accessToken: secrets.accessToken,
      appSecret: secrets.appSecret,
      verifyToken: secrets.verifyToken,
    },
  );
  return {
    provider: 'whatsapp',
    name: 'WhatsApp demo number',
    channelAccountId,
    webhookUrl,
    secret: secrets.appSecret,
    customerPage: `${emulatorUrl}${CUSTOMER_PAGE_PATHS.whatsapp}`,
  };
}

/** Points the WhatsApp emulator at the bridge; it runs Meta's GET handshake against the api. */
export async function subscribeWhatsAppWebhook(
  emulatorUrl: string,
  account: DemoAccount,
  verifyToken: string,
): Promise<void> {
  const res = await fetch(`${emulatorUrl}/_sandbox/whatsapp/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: account.webhookUrl, verifyToken }),
  });
  if (!res.ok)
    throw new Error(
      `the WhatsApp emulator could not subscribe the bridge's webhook: ${res.status} ${await res.text()}`,
    );
}

/** A Telegram bot: the bridge stores its token and a fresh webhook secret. */
export async function seedTelegramAccount(
  ctx: SeedContext,
  emulatorUrl: string,
  botToken: string,
): Promise<DemoAccount> {
  const secretToken = randomSecret(18);
  const { channelAccountId, webhookUrl } = await connectDemoAccount(
    ctx,
    'telegram',
    'Telegram demo bot',
    { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'channel_bridge_bot' },
    { botToken, secretToken },
  );
  return {
    provider: 'telegram',
    name: 'Telegram demo bot',
    channelAccountId,
    webhookUrl,
    secret: secretToken,
    customerPage: `${emulatorUrl}${CUSTOMER_PAGE_PATHS.telegram}`,
  };
}

/** Points the bot's webhook at the bridge with setWebhook, as the connection page does with a real bot. */
export async function setTelegramWebhook(emulatorUrl: string, account: DemoAccount, botToken: string): Promise<void> {
  await setWebhook(telegramEndpoint({ botToken, apiBaseUrl: emulatorUrl }, { fetch }), {
    url: account.webhookUrl,
    secretToken: account.secret,
  });
}

/**
 * A Twilio number: the emulator's fixed test account (packages/sandbox/src/main.ts). The values go through the
 * connection page's own form schema and live check (the account opens, the number is the account's), as an admin's
 * would; then the account is connected like the others, with its webhook URL stored (Twilio signs the URL it calls).
 */
export async function seedTwilioAccount(ctx: SeedContext, emulatorUrl: string): Promise<DemoAccount> {
  const form = twilioConnectForm.parse({
    accountSid: DEFAULT_ACCOUNT_SID,
    authToken: DEFAULT_AUTH_TOKEN,
    sender: DEFAULT_PHONE_NUMBER,
  });
  const endpoint = { accountSid: form.accountSid, authToken: form.authToken, apiBaseUrl: emulatorUrl, fetch };
  await checkTwilioSender(endpoint, form.sender, emulatorUrl);
  const { channelAccountId, webhookUrl } = await connectDemoAccount(
    ctx,
    'twilio',
    'Twilio demo number',
    { type: 'HS_PHONE_NUMBER', value: form.sender },
    (url) => ({ accountSid: form.accountSid, authToken: form.authToken, sender: form.sender, webhookUrl: url }),
  );
  return {
    provider: 'twilio',
    name: 'Twilio demo number',
    channelAccountId,
    webhookUrl,
    secret: form.authToken,
    customerPage: `${emulatorUrl}${CUSTOMER_PAGE_PATHS.twilio}`,
  };
}

/** Sets the number's "A message comes in" webhook to the bridge, as an admin does in the Twilio console. Idempotent. */
export async function setTwilioWebhook(emulatorUrl: string, account: DemoAccount): Promise<void> {
  const res = await fetch(`${emulatorUrl}/_sandbox/twilio/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: account.webhookUrl }),
  });
  if (!res.ok)
    throw new Error(`the Twilio emulator could not point its number at the bridge: ${res.status} ${await res.text()}`);
}
