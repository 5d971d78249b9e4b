import type { InboundMedia, MediaKind } from '../domain/messages.js';
import type { FileAttachment } from '../hubspot/types.js';

/**
 * HubSpot has no VIDEO usage type (`fileUsageType` in
 * https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/messages/create-custom-channel):
 * videos and documents go as OTHER.
 */
export const FILE_USAGE_BY_KIND: Readonly<Record<MediaKind, NonNullable<FileAttachment['fileUsageType']>>> = {
  image: 'IMAGE',
  audio: 'AUDIO',
  voice: 'VOICE_RECORDING',
  sticker: 'STICKER',
  video: 'OTHER',
  file: 'OTHER',
};

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'application/pdf': 'pdf',
  'application/x-tgsticker': 'tgs',
};

/** A name HubSpot Files can show and type by extension, for media the customer sent without one. */
export function fileNameFor(media: InboundMedia, contentType: string): string {
  if (media.filename) return media.filename;
  const extension = EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
  return `${media.kind}.${extension}`;
}

const OGG_AUDIO_TYPES = new Set(['audio/ogg', 'audio/opus', 'application/ogg', 'video/ogg', 'audio/vorbis']);

/**
 * Ogg audio as HubSpot's inbox plays it: typed audio/ogg, named `.ogg`. file-type calls Ogg/Opus `audio/opus`
 * (extension `.opus`) and some providers store voice as `.oga`; labelled so, a voice note arrived as a `voice.opus`
 * download rather than a player. That the inbox plays audio/ogg + `.ogg` and not the others is [INFERRED] from
 * how browsers pick a player by type (Chrome and Firefox play Ogg/Opus as audio/ogg).
 */
export function playableInInbox(
  media: Pick<InboundMedia, 'kind' | 'filename'>,
  fileName: string,
  contentType: string,
): { fileName: string; contentType: string } {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!OGG_AUDIO_TYPES.has(type) || (media.kind !== 'voice' && media.kind !== 'audio'))
    return { fileName, contentType };
  if (!media.filename) return { fileName: `${media.kind}.ogg`, contentType: 'audio/ogg' };
  return {
    fileName: /\.(opus|oga|ogg)$/i.test(fileName) ? fileName.replace(/\.(opus|oga|ogg)$/i, '.ogg') : fileName,
    contentType: 'audio/ogg',
  };
}

export function describeSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

const KIND_NAMES: Readonly<Record<MediaKind, string>> = {
  image: 'An image',
  audio: 'An audio file',
  voice: 'A voice message',
  sticker: 'A sticker',
  video: 'A video',
  file: 'A file',
};

/** The readable line a rep sees in place of media that could not be carried. */
export function mediaNote(media: InboundMedia, reason: string): string {
  const name = media.filename ? ` "${media.filename}"` : '';
  return `[${KIND_NAMES[media.kind]}${name} was sent but could not be carried: ${reason}]`;
}
