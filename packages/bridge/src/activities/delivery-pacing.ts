import type { ProviderKind } from '../domain/ids.js';
import type { PacingRule } from '../providers/module.js';
import { pacingOf } from '../providers/registry.js';

export type { PacingRule } from '../providers/module.js';
export type PacingConfig = Readonly<Record<ProviderKind, PacingRule>>;

/** Each provider's default pacing (its module's settings, with nothing configured): its published limits. */
export const DEFAULT_PACING: PacingConfig = pacingOf();

/** A kind without a rule (none configured) is not held back: the provider's own 429s still pace it. */
const UNPACED: PacingRule = { perChatIntervalMs: 0, globalPerSecond: 0 };

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
      const rule = config[provider] ?? UNPACED;
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
