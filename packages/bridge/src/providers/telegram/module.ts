import { escapeText, htmlToTelegram } from '../html-render.js';
import type { ProviderModule } from '../module.js';
import { telegramDisconnect, telegramDoctor, telegramWebhookHealth } from './checks.js';
import { telegramConnect, telegramIdentityOf } from './connect.js';
import { visibleLength } from './html-split.js';
import { createTelegramAdapter } from './index.js';
import { TELEGRAM_LIMITS } from './limits.js';
import { telegramFilePlan } from './send.js';
import { telegramSettings, type TelegramSettings } from './settings.js';

/** Telegram bots (Bot API): one bot per channel account. */
export const telegramProvider: ProviderModule<TelegramSettings> = {
  kind: 'telegram',
  displayName: 'Telegram',
  settings: telegramSettings,
  // "In case of an unsuccessful request … we will repeat the request and give up after a reasonable amount of attempts"
  // (Bot API, setWebhook).
  retriesRefusedWebhooks: true,
  createAdapter: (ctx) =>
    createTelegramAdapter(
      {
        accountId: ctx.accountId,
        botToken: ctx.credential('botToken'),
        secretToken: ctx.credential('secretToken'),
        apiBaseUrl: ctx.settings.apiBaseUrl,
      },
      { fetch: ctx.fetchTrusting(ctx.settings.apiBaseUrl), mediaPolicy: ctx.mediaPolicy },
    ),
  reply: {
    fileVerdict: (attachment) => ({ captionable: telegramFilePlan(attachment).captionable }),
    // Telegram counts a caption's length after entity parsing: the tags do not count.
    captionFits: (text) => visibleLength(text) <= TELEGRAM_LIMITS.captionChars,
    formatText: htmlToTelegram,
    formatPlain: escapeText,
  },
  identityOf: telegramIdentityOf,
  connect: telegramConnect,
  disconnect: telegramDisconnect,
  doctor: telegramDoctor,
  webhookHealth: telegramWebhookHealth,
};
