import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HandshakeResult, RawWebhook, VerifyResult } from '../types.js';

/** `sha256=<hex HMAC-SHA256(app secret, raw body)>`, Meta's `X-Hub-Signature-256` header value. */
export function signHubSignature(appSecret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

function header(webhook: RawWebhook, name: string): string | undefined {
  const value = webhook.headers[name] ?? webhook.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks `X-Hub-Signature-256` over the raw bytes: re-serialised JSON breaks signatures (Meta signs
 * the escaped-unicode form it sent). Meta's signature carries no timestamp, so there is no
 * freshness window to apply; replays are absorbed by deduplicating on the wamid.
 */
export function verifyHubSignature(appSecret: string, webhook: RawWebhook): VerifyResult {
  const given = header(webhook, 'x-hub-signature-256');
  if (!given) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(given.trim());
  if (!match) return { ok: false, reason: 'X-Hub-Signature-256 must be sha256=<64 hex digits>' };
  const expected = createHmac('sha256', appSecret).update(webhook.body).digest();
  const actual = Buffer.from(match[1]!, 'hex');
  return timingSafeEqual(actual, expected)
    ? { ok: true }
    : { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
}

function first(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = createHmac('sha256', 'verify-token').update(a).digest();
  const y = createHmac('sha256', 'verify-token').update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`; answer the
 * challenge as the body when the token matches, else 403 with the reason.
 * Express parses `hub.mode` into `{ hub: { mode } }` with the extended query parser, so both forms are read.
 */
export function answerHandshake(verifyToken: string, query: Readonly<Record<string, unknown>>): HandshakeResult {
  const nested = (query.hub ?? {}) as Record<string, unknown>;
  const mode = first(query['hub.mode']) ?? first(nested.mode);
  const token = first(query['hub.verify_token']) ?? first(nested.verify_token);
  const challenge = first(query['hub.challenge']) ?? first(nested.challenge);
  if (mode !== 'subscribe') return { ok: false, reason: 'hub.mode must be "subscribe"' };
  if (token === undefined || !sameSecret(token, verifyToken))
    return { ok: false, reason: 'hub.verify_token does not match' };
  if (!challenge) return { ok: false, reason: 'hub.challenge is missing' };
  return { ok: true, body: challenge };
}
