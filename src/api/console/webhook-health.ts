import { callTelegram, DEFAULT_API_BASE_URL } from '../../providers/telegram/api.js';
import { readWebhookTarget } from '../../providers/whatsapp/webhook-target.js';
import type { AccountWithCredentials } from '../../store/types.js';

/** Where the providers' APIs are (the sandbox's in development); from the connection deps when the api has them. */
export interface ProviderEndpoints {
  readonly telegramApiBaseUrl?: string;
  readonly whatsappGraphBaseUrl?: string;
}

/** The provider's own view of an account's webhook, as far as the provider reports it. */
export interface WebhookHealth {
  readonly state: 'ok' | 'problem' | 'unknown';
  /** Where the provider sends the account's events. */
  readonly url?: string;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  readonly pending?: number;
  /** What the figure is, or why there is none. */
  readonly note: string;
}

/** Telegram's getWebhookInfo (https://core.telegram.org/bots/api#getwebhookinfo): the fields read here. */
interface TelegramWebhookInfo {
  readonly url: string;
  readonly pending_update_count: number;
  readonly last_error_date?: number;
  readonly last_error_message?: string;
}

const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(5_000) });
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Asks the account's provider; never throws (a failed question is an `unknown` answer with its reason). */
export async function webhookHealth(account: AccountWithCredentials, endpoints: ProviderEndpoints): Promise<WebhookHealth> {
  try {
    if (account.provider === 'telegram') return await telegramHealth(account, endpoints);
    if (account.provider === 'whatsapp') return await whatsappHealth(account, endpoints);
    return { state: 'unknown', note: 'a generic sender reports nothing to the bridge: its refused deliveries show as webhook refusals in the api’s metrics and log' };
  } catch (error) {
    return { state: 'unknown', note: `could not ask ${account.provider}: ${messageOf(error)}` };
  }
}

async function telegramHealth(account: AccountWithCredentials, endpoints: ProviderEndpoints): Promise<WebhookHealth> {
  const botToken = account.credentials.botToken;
  if (!botToken) return { state: 'problem', note: 'no bot token is stored for this account: connect it again' };
  const apiBaseUrl = endpoints.telegramApiBaseUrl ?? DEFAULT_API_BASE_URL;
  const info = await callTelegram<TelegramWebhookInfo>({ apiBaseUrl, botToken, fetch: timedFetch }, 'getWebhookInfo');
  const lastErrorAt = info.last_error_date ? new Date(info.last_error_date * 1000).toISOString() : undefined;
  const base = { url: info.url || undefined, pending: info.pending_update_count, lastError: info.last_error_message, lastErrorAt };
  if (!info.url) return { ...base, state: 'problem', note: 'Telegram’s getWebhookInfo: the bot has no webhook, so nothing reaches the bridge' };
  const expected = `/webhooks/telegram/`;
  if (!new URL(info.url).pathname.startsWith(expected)) return { ...base, state: 'problem', note: `Telegram’s getWebhookInfo: the webhook is not the bridge’s (${expected}…)` };
  const recent = info.last_error_date !== undefined && Date.now() / 1000 - info.last_error_date < 3600;
  return { ...base, state: recent ? 'problem' : 'ok', note: recent ? 'Telegram’s getWebhookInfo: its last delivery, within the hour, failed' : 'Telegram’s getWebhookInfo' };
}

/** Meta's Graph API tells where a number's webhooks go, but not whether deliveries fail ([INFERRED]: no such field is documented). */
async function whatsappHealth(account: AccountWithCredentials, endpoints: ProviderEndpoints): Promise<WebhookHealth> {
  const { phoneNumberId, accessToken } = account.credentials;
  if (!phoneNumberId || !accessToken) return { state: 'problem', note: 'no phone number id or access token is stored: connect it again' };
  const target = await readWebhookTarget({ phoneNumberId, accessToken, graphBaseUrl: endpoints.whatsappGraphBaseUrl, requestTimeoutMs: 5_000 }, { fetch: timedFetch });
  const note = 'Meta’s Graph API (the number’s effective callback URL); Meta does not report delivery errors there';
  if (!target.effective) return { state: 'problem', note: `${note}: Meta has no callback URL for this number` };
  return { state: new URL(target.effective.url).pathname.startsWith('/webhooks/whatsapp') ? 'ok' : 'problem', url: target.effective.url, note: `${note}; set on the ${target.effective.source.replace(/_/g, ' ')}` };
}
