import { randomBytes } from 'node:crypto';
import type { StagedMediaStore } from '../store/inbound-types.js';
import { isMediaLinkSignature, mediaLinkSignature, safeFilename, type MediaLinkClaim } from './signature.js';

/** The route the links point at; src/api/routes/media-links.ts serves it. */
export const MEDIA_LINKS_PATH = '/media-links';
/** Staged files live beside inbound staged media, told apart by this key prefix. */
export const MEDIA_LINK_KEY_PREFIX = 'media-link:';
/** @default one hour: long enough for a provider's download and its retries, short enough to be no lasting address. */
export const DEFAULT_MEDIA_LINK_TTL_SECONDS = 3600;

export interface MediaLinkDeps {
  readonly store: StagedMediaStore;
  /** Signs and checks links; at least 32 random bytes, the same in every api and worker process. */
  readonly secret: string | Buffer;
  /** The bridge's public base URL (BRIDGE_PUBLIC_URL). */
  readonly publicUrl: string;
  readonly ttlSeconds?: number;
  readonly now?: () => Date;
}

export interface StagedFile {
  readonly contentType: string;
  readonly filename: string;
  readonly data: Buffer;
}

const keyOf = (id: string) => `${MEDIA_LINK_KEY_PREFIX}${id}`;

/**
 * Puts a file in the store and returns a public URL that serves it until it expires. Durable: a worker that
 * restarts between staging and the provider's download loses nothing, and any api process can serve it.
 */
export function createMediaLinks(deps: MediaLinkDeps) {
  const now = () => (deps.now ?? (() => new Date()))();
  const ttl = deps.ttlSeconds ?? DEFAULT_MEDIA_LINK_TTL_SECONDS;
  return {
    async link(file: StagedFile): Promise<string> {
      // Links nobody downloaded would stay forever: each new one first deletes those past their expiry.
      await deps.store.dropStagedMediaBefore(MEDIA_LINK_KEY_PREFIX, new Date(now().getTime() - ttl * 1000));
      const claim: MediaLinkClaim = {
        id: randomBytes(16).toString('hex'),
        filename: safeFilename(file.filename),
        expires: Math.floor(now().getTime() / 1000) + ttl,
      };
      await deps.store.stageMedia(keyOf(claim.id), 0, {
        contentType: file.contentType,
        filename: claim.filename,
        bytes: file.data,
      });
      const sig = mediaLinkSignature(deps.secret, claim);
      return `${deps.publicUrl.replace(/\/$/, '')}${MEDIA_LINKS_PATH}/${claim.id}/${encodeURIComponent(claim.filename)}?expires=${claim.expires}&sig=${sig}`;
    },

    /** `forbidden`: the signature does not match; `gone`: expired or unknown (an expired file is dropped here). */
    async open(
      claim: MediaLinkClaim,
      signature: string,
    ): Promise<{ kind: 'file'; file: StagedFile } | { kind: 'forbidden' } | { kind: 'gone' }> {
      if (!isMediaLinkSignature(deps.secret, claim, signature)) return { kind: 'forbidden' };
      if (claim.expires * 1000 < now().getTime()) {
        await deps.store.dropStagedMedia(keyOf(claim.id));
        return { kind: 'gone' };
      }
      const staged = await deps.store.getStagedMedia(keyOf(claim.id), 0);
      if (!staged) return { kind: 'gone' };
      return {
        kind: 'file',
        file: {
          contentType: staged.contentType ?? 'application/octet-stream',
          filename: staged.filename ?? claim.filename,
          data: staged.bytes,
        },
      };
    },
  };
}
export type MediaLinks = ReturnType<typeof createMediaLinks>;
