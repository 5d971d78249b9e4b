import type { ProviderKind } from '../domain/ids.js';

/** How fast one provider account may send: to one chat, and in all. */
export interface PacingRule {
  /** Minimum gap between two messages to the same chat. */
  readonly perChatIntervalMs: number;
  /** Messages per second across all chats of one account (bot, phone number); 0 = unlimited. */
  readonly globalPerSecond: number;
}
export type PacingConfig = Readonly<Record<ProviderKind, PacingRule>>;

/**
 * Telegram: about 1 message/s per chat and 30/s per bot. WhatsApp: about 1 per 6 s to one user
 * (error 131056) and 80/s per number (130429). Sources: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this,
 * https://developers.facebook.com/docs/whatsapp/throughput, https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes.
 */
export const DEFAULT_PACING: PacingConfig = {
  telegram: { perChatIntervalMs: 1000, globalPerSecond: 30 },
  whatsapp: { perChatIntervalMs: 6000, globalPerSecond: 80 },
  generic: { perChatIntervalMs: 0, globalPerSecond: 0 },
};

export interface Pacer {
  /** Resolves when one more message may go to this chat; reserves the slot first, so callers never race. */
  wait(provider: ProviderKind, accountId: string, chatId: string): Promise<void>;
}

/**
 * Slot reservation per chat and per account, in this worker process. Providers still enforce their
 * own limits; a 429 that slips through (several workers) is retried after the provider's retry_after.
 */
export function createPacer(config: PacingConfig, now: () => number = Date.now): Pacer {
  const nextSlot = new Map<string, number>();
  const reserve = (key: string, at: number, gap: number) => nextSlot.set(key, at + gap);
  return {
    async wait(provider, accountId, chatId) {
      const rule = config[provider];
      const t = now();
      if (nextSlot.size > 10_000) for (const [key, at] of nextSlot) if (at < t) nextSlot.delete(key);
      const chatKey = `${provider}:${accountId}:${chatId}`;
      const accountKey = `${provider}:${accountId}`;
      const at = Math.max(t, nextSlot.get(chatKey) ?? 0, nextSlot.get(accountKey) ?? 0);
      reserve(chatKey, at, rule.perChatIntervalMs);
      reserve(accountKey, at, rule.globalPerSecond > 0 ? 1000 / rule.globalPerSecond : 0);
      if (at > t) await new Promise((resolve) => setTimeout(resolve, at - t));
    },
  };
}
