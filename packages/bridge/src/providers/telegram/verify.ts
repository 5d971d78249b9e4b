import { createHash, timingSafeEqual } from 'node:crypto';
import type { RawWebhook, VerifyResult } from '../types.js';

export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';

/** setWebhook's `secret_token`: 1-256 characters of A-Z, a-z, 0-9, `_` and `-`. */
export const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Telegram echoes the webhook's `secret_token` in a header on every update; there is no signature
 * over the body. Both sides are hashed first so the comparison takes the same time whatever the
 * length of the guess.
 */
export function verifyTelegramSecret(secretToken: string, webhook: RawWebhook): VerifyResult {
  const raw = webhook.headers[SECRET_TOKEN_HEADER];
  const given = Array.isArray(raw) ? raw[0] : raw;
  if (given === undefined || given === '')
    return { ok: false, reason: 'missing X-Telegram-Bot-Api-Secret-Token header' };
  if (!timingSafeEqual(digest(given), digest(secretToken))) {
    return { ok: false, reason: 'X-Telegram-Bot-Api-Secret-Token does not match the webhook secret' };
  }
  return { ok: true };
}
