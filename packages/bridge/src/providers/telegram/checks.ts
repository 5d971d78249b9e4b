import {
  RECONNECT,
  type CheckContext,
  type DisconnectContext,
  type ProviderCheck,
  type WebhookHealth,
} from '../module.js';
import { callTelegram } from './api.js';
import { deleteOwnWebhook } from './bot-setup.js';
import type { TelegramSettings } from './settings.js';

/** What getWebhookInfo answers (https://core.telegram.org/bots/api#getwebhookinfo), the fields read here. */
interface WebhookInfo {
  readonly url: string;
  readonly pending_update_count: number;
  readonly last_error_date?: number;
  readonly last_error_message?: string;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
const line = (status: ProviderCheck['status'], detail: string, fix?: string): ProviderCheck => ({
  idSuffix: '',
  titleSuffix: '',
  status,
  detail,
  ...(fix ? { fix } : {}),
});

function webhookInfo(ctx: CheckContext<TelegramSettings>, botToken: string): Promise<WebhookInfo> {
  return callTelegram<WebhookInfo>(
    { apiBaseUrl: ctx.settings.apiBaseUrl, botToken, fetch: ctx.fetch },
    'getWebhookInfo',
  );
}

/** Doctor: the stored token still works and the bot's one webhook is the bridge's, without recent failed deliveries. */
export async function telegramDoctor(ctx: CheckContext<TelegramSettings>): Promise<ProviderCheck[]> {
  const { botToken } = ctx.credentials;
  if (!botToken) return [line('fail', 'no bot token is stored for it', RECONNECT)];
  let info: WebhookInfo;
  try {
    info = await webhookInfo(ctx, botToken);
  } catch (error) {
    const fix = /rejected the bot token/.test(messageOf(error))
      ? `the bot token was revoked (@BotFather): ${RECONNECT} with the new token`
      : `check TELEGRAM_API_BASE_URL (${ctx.settings.apiBaseUrl}) and that Telegram is reachable from here`;
    return [line('fail', `getWebhookInfo failed: ${messageOf(error)}`, fix)];
  }
  const urls = ctx.expectedUrls;
  if (!info.url)
    return [
      line(
        'fail',
        `the bot has no webhook: Telegram keeps its updates (${info.pending_update_count} waiting) and nothing reaches the bridge`,
        RECONNECT,
      ),
    ];
  if (!urls.includes(info.url)) {
    return [
      line(
        'fail',
        `the bot's webhook points at ${info.url}, not at ${urls[0]}: customers' messages go elsewhere`,
        `a bot has one webhook: stop whatever else set it (another deployment, a bot framework), then ${RECONNECT}`,
      ),
    ];
  }
  const recentError =
    info.last_error_date && Date.now() / 1000 - info.last_error_date < 3600 ? info.last_error_message : undefined;
  if (recentError && info.pending_update_count > 0) {
    return [
      line(
        'warn',
        `the webhook is ${info.url}, but Telegram's last delivery failed (${recentError}) and ${info.pending_update_count} updates wait`,
        `check that ${ctx.publicUrl} is reachable from the internet over HTTPS and that the api answers`,
      ),
    ];
  }
  return [line('pass', `the bot's webhook is ${info.url}`)];
}

/** Console: where the bot's updates go, how many wait, and its last failed delivery. */
export async function telegramWebhookHealth(ctx: CheckContext<TelegramSettings>): Promise<WebhookHealth> {
  const { botToken } = ctx.credentials;
  if (!botToken) return { state: 'problem', note: 'no bot token is stored for this account: connect it again' };
  const info = await webhookInfo(ctx, botToken);
  const lastErrorAt = info.last_error_date ? new Date(info.last_error_date * 1000).toISOString() : undefined;
  const base = {
    url: info.url || undefined,
    pending: info.pending_update_count,
    lastError: info.last_error_message,
    lastErrorAt,
  };
  if (!info.url)
    return {
      ...base,
      state: 'problem',
      note: 'Telegram’s getWebhookInfo: the bot has no webhook, so nothing reaches the bridge',
    };
  const expected = `/webhooks/telegram/`;
  if (!new URL(info.url).pathname.startsWith(expected))
    return {
      ...base,
      state: 'problem',
      note: `Telegram’s getWebhookInfo: the webhook is not the bridge’s (${expected}…)`,
    };
  const recent = info.last_error_date !== undefined && Date.now() / 1000 - info.last_error_date < 3600;
  return {
    ...base,
    state: recent ? 'problem' : 'ok',
    note: recent
      ? 'Telegram’s getWebhookInfo: its last delivery, within the hour, failed'
      : 'Telegram’s getWebhookInfo',
  };
}

/**
 * The bridge set the bot's webhook when connecting: getWebhookInfo, then deleteWebhook, only while it is still this
 * account's.
 */
export async function telegramDisconnect(ctx: DisconnectContext<TelegramSettings>): Promise<void> {
  const { botToken } = ctx.credentials;
  if (!botToken) return;
  try {
    const outcome = await deleteOwnWebhook(
      { apiBaseUrl: ctx.settings.apiBaseUrl, botToken, fetch: ctx.fetch },
      ctx.isOwnWebhookUrl,
    );
    if (typeof outcome === 'object')
      ctx.log.info("the bot's webhook belongs elsewhere now; left as it is", {
        accountId: ctx.accountId,
        webhook: outcome.pointsElsewhere,
      });
  } catch (error) {
    // A revoked token cannot be unregistered, and the credentials must go anyway.
    ctx.log.warn('deleteWebhook failed; removing the credentials anyway', {
      accountId: ctx.accountId,
      reason: (error as Error).message,
    });
  }
}
