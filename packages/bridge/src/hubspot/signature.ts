import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot refuses to vouch for a request older than five minutes
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation#validate-the-v3-request-signature).
 */
export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

/** Sequences HubSpot decodes in the URI before signing. */
const DECODED: readonly [RegExp, string][] = [
  [/%3A/gi, ':'],
  [/%2F/gi, '/'],
  [/%3F/gi, '?'],
  [/%40/gi, '@'],
  [/%21/gi, '!'],
  [/%24/gi, '$'],
  [/%27/gi, "'"],
  [/%28/gi, '('],
  [/%29/gi, ')'],
  [/%2A/gi, '*'],
  [/%2C/gi, ','],
  [/%3B/gi, ';'],
];

export interface SignedRequest {
  readonly method: string;
  /** The full URL HubSpot called (the channel's registered webhookUrl), built from configuration. */
  readonly url: string;
  /** The exact body bytes; never re-serialised JSON. */
  readonly rawBody: Buffer;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** `base64(HMAC-SHA256(clientSecret, METHOD + uri + body + timestamp))`. */
export function hubSpotSignatureV3(
  clientSecret: string,
  method: string,
  url: string,
  rawBody: Buffer,
  timestamp: string,
): string {
  const uri = DECODED.reduce((u, [pattern, char]) => u.replace(pattern, char), url);
  return createHmac('sha256', clientSecret)
    .update(Buffer.concat([Buffer.from(method.toUpperCase() + uri, 'utf8'), rawBody, Buffer.from(timestamp, 'utf8')]))
    .digest('base64');
}

/**
 * Checks `X-HubSpot-Signature-v3` in constant time, and `X-HubSpot-Request-Timestamp` within five
 * minutes either way. A bad request is a result with a reason for the log, never a throw.
 */
export function verifyHubSpotSignatureV3(
  clientSecret: string,
  req: SignedRequest,
  now: number = Date.now(),
): SignatureCheck {
  if (!req.signature) return { ok: false, reason: 'X-HubSpot-Signature-v3 is missing' };
  if (!req.timestamp || !/^\d+$/.test(req.timestamp))
    return { ok: false, reason: 'X-HubSpot-Request-Timestamp is missing or not a number' };
  if (Math.abs(now - Number(req.timestamp)) > SIGNATURE_MAX_AGE_MS) {
    return { ok: false, reason: 'X-HubSpot-Request-Timestamp is more than 5 minutes from now' };
  }
  const expected = Buffer.from(
    hubSpotSignatureV3(clientSecret, req.method, req.url, req.rawBody, req.timestamp),
    'utf8',
  );
  const given = Buffer.from(req.signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: `signature does not match (given ${given.length} chars, expected ${expected.length})` };
  }
  return { ok: true };
}
