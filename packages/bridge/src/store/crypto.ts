import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for credentials at rest. The sealed form names the key it was sealed with
 * (`v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url), so a rotated key can be told apart.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/** A box that seals with the current key and opens with it or any previous key (key rotation). */
export interface Keyring extends SecretBox {
  /** The id (first 8 hex of SHA-256) of the key new secrets are sealed with. */
  readonly currentKeyId: string;
  /** True when `sealed` was sealed with a previous key and should be re-sealed. */
  needsReseal(sealed: string): boolean;
}

/** Thrown when a sealed value cannot be opened: unknown format, a key that is not configured, or tampering. */
export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedSecretError';
  }
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
}

function sealWith(key: Buffer, id: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    'v1',
    id,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

function parse(sealed: string) {
  const [version, sealedKeyId, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !sealedKeyId || !iv || !tag || body === undefined) {
    throw new SealedSecretError('stored credentials are not in a known format');
  }
  return { sealedKeyId, iv, tag, body };
}

function openWith(key: Buffer, parts: ReturnType<typeof parse>): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts.iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(parts.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts.body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSecretError(`stored credentials sealed with key ${parts.sealedKeyId} failed their integrity check`);
  }
}

/** A keyring of one key: the original API, kept for callers that never rotate. */
export function createSecretBox(key: Buffer): SecretBox {
  return createKeyring(key);
}

/**
 * Seals with `current`; opens values sealed with `current` or any of `previous` (BRIDGE_PREVIOUS_ENCRYPTION_KEYS),
 * so a new key can be rolled out before `channel-bridge secrets rotate` re-seals what is stored.
 */
export function createKeyring(current: Buffer, previous: readonly Buffer[] = []): Keyring {
  checkKey(current);
  previous.forEach(checkKey);
  const currentKeyId = keyId(current);
  const keys = new Map<string, Buffer>([...previous.map((k) => [keyId(k), k] as const), [currentKeyId, current]]);
  return {
    currentKeyId,
    seal: (plaintext) => sealWith(current, currentKeyId, plaintext),
    open(sealed) {
      const parts = parse(sealed);
      const key = keys.get(parts.sealedKeyId);
      if (!key) {
        throw new SealedSecretError(
          `stored credentials were sealed with key ${parts.sealedKeyId}, but the configured key is ${currentKeyId}` +
            ' (add the old key to BRIDGE_PREVIOUS_ENCRYPTION_KEYS)',
        );
      }
      return openWith(key, parts);
    },
    needsReseal: (sealed) => parse(sealed).sealedKeyId !== currentKeyId,
  };
}
