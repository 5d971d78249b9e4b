import { ProviderError } from '../types.js';
import type { TelegramApiResponse } from './wire-types.js';

/** What a rep reads when Telegram refuses a reply because the customer blocked the bot. */
export const BLOCKED_REASON = 'the customer blocked the bot';

/**
 * Classifies one failed Bot API call. Telegram says error_code "is subject to change", so the
 * HTTP status, error_code, description and parameters are read together.
 * https://core.telegram.org/bots/api#making-requests
 */
export function telegramError(
  method: string,
  status: number,
  body: TelegramApiResponse<unknown> | undefined,
): ProviderError {
  const code = body?.error_code ?? status;
  const description = body?.description ?? `HTTP ${status}`;
  const retryAfter = body?.parameters?.retry_after;
  if (status === 429 || code === 429 || retryAfter !== undefined) {
    return new ProviderError(`Telegram is rate limiting the bot (${method}): ${description}`, {
      retryable: true,
      retryAfterSeconds: retryAfter,
      code,
    });
  }
  if (status >= 500) return new ProviderError(`Telegram failed (${method}): ${description}`, { retryable: true, code });
  if (/bot was blocked by the user/i.test(description))
    return new ProviderError(BLOCKED_REASON, { retryable: false, code });
  if (status === 401)
    return new ProviderError(`Telegram rejected the bot token (${description})`, { retryable: false, code });
  const migrated = body?.parameters?.migrate_to_chat_id;
  if (migrated !== undefined) {
    return new ProviderError(`the group moved to chat ${migrated}; ${description}`, { retryable: false, code });
  }
  return new ProviderError(`Telegram refused ${method}: ${description}`, { retryable: false, code });
}

/** A transport failure: the request may or may not have reached Telegram, so it is retried. */
export function networkError(method: string, cause: unknown): ProviderError {
  // Only the error's own message: undici's cause can hold the request URL, which holds the token.
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ProviderError(`Telegram could not be reached (${method}): ${detail}`, { retryable: true });
}
