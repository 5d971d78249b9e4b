import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * An expiring, HMAC-signed link to one staged outbound file. The signature covers the file's id, its name in the
 * path and the expiry, so none can be changed; nothing else about the link is secret.
 */
export interface MediaLinkClaim {
  /** The staged file's id (unguessable, 128 bits). */
  readonly id: string;
  /** Shown in the path so the downloader names the file; signed so it cannot be swapped. */
  readonly filename: string;
  /** Unix seconds after which the link answers 404. */
  readonly expires: number;
}

export function mediaLinkSignature(secret: string | Buffer, claim: MediaLinkClaim): string {
  return createHmac('sha256', secret).update(`${claim.id}\n${claim.filename}\n${claim.expires}`).digest('base64url');
}

export function isMediaLinkSignature(secret: string | Buffer, claim: MediaLinkClaim, signature: string): boolean {
  const expected = Buffer.from(mediaLinkSignature(secret, claim));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Only characters every downloader keeps in a path: short names without spaces or most symbols. */
export function safeFilename(filename: string): string {
  const cleaned = filename.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return (cleaned || 'file').slice(-60);
}
