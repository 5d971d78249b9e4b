import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RawWebhook, VerifyResult } from '../types.js';

/** Standard Webhooks' tolerance for clock skew and replays. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

function header(webhook: RawWebhook, name: string): string | undefined {
  const value = webhook.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** `v1,<base64 HMAC-SHA256(key, "{id}.{ts}.{raw body}")>` over the raw bytes, never a re-serialised body. */
export function signStandardWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: Buffer | string,
): string {
  const mac = createHmac('sha256', secretKey(secret));
  mac.update(`${id}.${timestampSeconds}.`);
  mac.update(body);
  return `v1,${mac.digest('base64')}`;
}

/**
 * Verifies Standard Webhooks 1.0 headers. Several space-separated signatures are allowed, so a
 * sender can rotate keys; any one matching `v1` signature is enough.
 */
export function verifyStandardWebhook(secret: string, webhook: RawWebhook, now = new Date()): VerifyResult {
  const id = header(webhook, 'webhook-id');
  const timestamp = header(webhook, 'webhook-timestamp');
  const signatures = header(webhook, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp must be unix seconds' };
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
  if (skew > TIMESTAMP_TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: `webhook-timestamp is ${skew}s away from now; the window is ${TIMESTAMP_TOLERANCE_SECONDS}s`,
    };
  }
  const expected = Buffer.from(signStandardWebhook(secret, id, Number(timestamp), webhook.body).slice(3), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no webhook-signature matches the body' };
}
