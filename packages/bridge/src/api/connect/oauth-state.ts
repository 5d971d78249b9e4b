import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The install flow's `state`: `<nonce>.<HMAC-SHA256(key, nonce)>`, base64url. The signature proves the bridge issued
 * it; the store proves it is used once and in time (see sqlite/oauth-states.ts).
 */
export function issueState(key: Buffer): { state: string; nonce: string } {
  const nonce = randomBytes(18).toString('base64url');
  return { state: `${nonce}.${sign(key, nonce)}`, nonce };
}

/** The nonce of a state the bridge signed, or undefined for anything else. */
export function verifyState(key: Buffer, state: unknown): string | undefined {
  if (typeof state !== 'string') return undefined;
  const [nonce, signature, extra] = state.split('.');
  if (!nonce || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(key, nonce));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? nonce : undefined;
}

function sign(key: Buffer, nonce: string): string {
  return createHmac('sha256', key).update(`oauth-state:${nonce}`).digest('base64url');
}

/** A key for state signatures derived from the encryption key, so no extra secret needs configuring. */
export function stateKeyFrom(encryptionKey: Buffer): Buffer {
  return createHmac('sha256', encryptionKey).update('channel-bridge oauth state').digest();
}
