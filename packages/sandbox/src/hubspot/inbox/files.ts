import { randomBytes } from 'node:crypto';
import type { HubSpotSandboxState } from '../state.js';
import type { FileLookup } from './render-message.js';

const LIFETIME_MS = 60 * 60 * 1000;
const cache = new WeakMap<HubSpotSandboxState, Map<string, { token: string; expiresAt: number }>>();

/**
 * Attachments show from signed URLs, as HubSpot's inbox shows private files. The page mints them the way
 * `GET /files/v3/files/{id}/signed-url` does (same store, same `/signed-files/` path), and reuses one per file
 * while it has more than ten minutes left, so a refreshed message keeps the same `src`.
 */
export function signedFileLookup(state: HubSpotSandboxState): FileLookup {
  let tokens = cache.get(state);
  if (!tokens) cache.set(state, (tokens = new Map()));
  const known = tokens;
  return (fileId) => {
    const file = state.files.get(fileId);
    if (!file || file.archived) return undefined;
    let signed = known.get(fileId);
    if (!signed || signed.expiresAt - Date.now() < LIFETIME_MS / 6) {
      signed = { token: randomBytes(24).toString('base64url'), expiresAt: Date.now() + LIFETIME_MS };
      state.signedUrls.set(signed.token, { fileId, expiresAt: signed.expiresAt });
      known.set(fileId, signed);
    }
    const name = file.extension ? `${file.name}.${file.extension}` : file.name;
    return {
      url: `/signed-files/${signed.token}/${encodeURIComponent(name)}`,
      name,
      contentType: file.contentType,
      sizeBytes: file.size,
    };
  };
}
