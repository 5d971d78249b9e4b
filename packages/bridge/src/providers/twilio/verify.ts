import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RawWebhook, VerifyResult } from '../types.js';
import { parseForm } from './wire-types.js';

/**
 * Twilio's request signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
 * base64(HMAC-SHA1(authToken, url + each POST parameter's name and value, sorted by name)).
 * `url` is the exact URL Twilio called, query string included. (Twilio's SDKs also try it with and without an explicit
 * default port; the bridge's configured URL carries none, so it is checked as it is.)
 */
export function twilioSignature(authToken: string, url: string, params: Readonly<Record<string, string>> = {}): string {
  const signed = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/** Both sides hashed first, so the compare is constant-time whatever their lengths. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

const header = (webhook: RawWebhook, name: string) => {
  const value = webhook.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Checks `X-Twilio-Signature` against the URL Twilio called. A form body signs URL + sorted params; a JSON body
 * signs the URL alone, and that URL carries `bodySHA256`, the hex SHA-256 of the raw body, which must match.
 */
export function verifyTwilioWebhook(authToken: string, url: string | undefined, webhook: RawWebhook): VerifyResult {
  const signature = header(webhook, 'x-twilio-signature');
  if (!signature) return { ok: false, reason: 'missing X-Twilio-Signature header' };
  if (!url)
    return { ok: false, reason: 'the webhook URL Twilio called is unknown, so its signature cannot be checked' };
  const contentType = (header(webhook, 'content-type') ?? '').toLowerCase();
  if (contentType.startsWith('application/json')) {
    const claimed = new URL(url).searchParams.get('bodySHA256');
    if (!claimed) return { ok: false, reason: 'a JSON webhook without bodySHA256 in its URL' };
    const actual = createHash('sha256').update(webhook.body).digest('hex');
    if (!sameSecret(claimed.toLowerCase(), actual)) return { ok: false, reason: 'bodySHA256 does not match the body' };
    return sameSecret(twilioSignature(authToken, url), signature)
      ? { ok: true }
      : { ok: false, reason: 'X-Twilio-Signature does not match' };
  }
  const expected = twilioSignature(authToken, url, parseForm(webhook.body));
  return sameSecret(expected, signature) ? { ok: true } : { ok: false, reason: 'X-Twilio-Signature does not match' };
}
