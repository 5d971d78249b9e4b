import { createHmac } from 'node:crypto';

/**
 * Fixed, so every api and worker process with the same key derives the same secret; a new label would void old links.
 */
const LABEL = 'channel-bridge media-links v1';

/**
 * The media links' signing secret, derived from the store's encryption key (BRIDGE_ENCRYPTION_KEY) so the api that
 * serves a link and the worker that made it agree without another setting. A one-way HMAC: a leaked link secret
 * reveals nothing of the key. Rotating the key voids links in flight, which live an hour at most.
 */
export function mediaLinkSecret(encryptionKey: Buffer): Buffer {
  return createHmac('sha256', encryptionKey).update(LABEL).digest();
}
