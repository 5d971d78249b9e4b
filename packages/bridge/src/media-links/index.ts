export {
  createMediaLinks,
  DEFAULT_MEDIA_LINK_TTL_SECONDS,
  MEDIA_LINK_KEY_PREFIX,
  MEDIA_LINKS_PATH,
  type MediaLinkDeps,
  type MediaLinks,
  type StagedFile,
} from './links.js';
export { isMediaLinkSignature, mediaLinkSignature, safeFilename, type MediaLinkClaim } from './signature.js';
export { mediaLinkSecret } from './secret.js';
