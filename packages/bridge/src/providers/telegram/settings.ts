import type { PacingRule, ProviderEnvSetting, ProviderSettingsSpec } from '../module.js';
import { apiUrl, nonNegativeInt, withoutTrailingSlash } from '../settings-schemas.js';
import { DEFAULT_API_BASE_URL } from './api.js';

export interface TelegramSettings {
  /** The Bot API (TELEGRAM_API_BASE_URL). @default 'https://api.telegram.org' */
  readonly apiBaseUrl: string;
  readonly pacing: PacingRule;
}

const env = {
  OUTBOUND_TELEGRAM_CHAT_INTERVAL_MS: {
    section: 'outbound',
    schema: nonNegativeInt(1000),
    doc: "Telegram: the least time between two messages to one chat (Telegram's advice).",
  },
  OUTBOUND_TELEGRAM_PER_SECOND: {
    section: 'outbound',
    schema: nonNegativeInt(30),
    doc: 'Telegram: messages per second per bot.',
  },
  TELEGRAM_API_BASE_URL: {
    section: 'providers',
    schema: apiUrl('TELEGRAM_API_BASE_URL', DEFAULT_API_BASE_URL),
    doc: "Telegram's Bot API.",
  },
} satisfies Record<string, ProviderEnvSetting>;

/**
 * About 1 message/s per chat and 30/s per bot
 * (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
 */
export const telegramSettings: ProviderSettingsSpec<TelegramSettings> = {
  env,
  fromEnv: (e) => ({
    apiBaseUrl: withoutTrailingSlash(String(e.TELEGRAM_API_BASE_URL ?? DEFAULT_API_BASE_URL)),
    pacing: {
      perChatIntervalMs: Number(e.OUTBOUND_TELEGRAM_CHAT_INTERVAL_MS ?? 1000),
      globalPerSecond: Number(e.OUTBOUND_TELEGRAM_PER_SECOND ?? 30),
    },
  }),
  pacing: (settings) => settings.pacing,
};
