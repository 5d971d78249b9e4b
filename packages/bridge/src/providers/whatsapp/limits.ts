import type { MediaKind } from '../../domain/messages.js';

/**
 * WhatsApp's media limits
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types).
 */
export const MB = 1024 * 1024;
export const KB = 1024;

export type WaMediaType = 'image' | 'audio' | 'video' | 'sticker' | 'document';

export const MAX_BYTES: Readonly<Record<WaMediaType, number>> = {
  audio: 16 * MB,
  image: 5 * MB,
  video: 16 * MB,
  document: 100 * MB,
  sticker: 500 * KB,
};
export const MAX_STATIC_STICKER_BYTES = 100 * KB;

/** The formats WhatsApp accepts for each type; the upload endpoint refuses every other format. */
const FORMATS: Readonly<Record<WaMediaType, readonly string[]>> = {
  image: ['image/jpeg', 'image/png'],
  audio: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
  video: ['video/mp4', 'video/3gpp'],
  sticker: ['image/webp'],
  document: [
    'text/plain',
    'application/pdf',
    'application/msword',
    'application/vnd.ms-excel',
    'application/vnd.ms-powerpoint',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
};
const ACCEPTED = new Set(Object.values(FORMATS).flat());

const bare = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * The WhatsApp message type for a canonical attachment: its own type when the format fits, else a
 * document (a PNG sent as a sticker still arrives). Undefined when WhatsApp takes the format in no form.
 */
export function waTypeFor(kind: MediaKind, contentType: string): WaMediaType | undefined {
  const mime = bare(contentType);
  if (!ACCEPTED.has(mime)) return undefined;
  const wanted: WaMediaType = kind === 'voice' ? 'audio' : kind === 'file' ? 'document' : kind;
  return FORMATS[wanted].includes(mime) ? wanted : 'document';
}

/** The canonical kind for a WhatsApp type, for inbound limits. */
export function limitFor(kind: MediaKind): number {
  return kind === 'voice' || kind === 'audio'
    ? MAX_BYTES.audio
    : kind === 'file'
      ? MAX_BYTES.document
      : MAX_BYTES[kind];
}

/** An animated WebP has a VP8X header with the animation flag (bit 1 of the flags byte). */
export function isAnimatedWebp(data: Buffer): boolean {
  return (
    data.length > 21 &&
    data.toString('latin1', 0, 4) === 'RIFF' &&
    data.toString('latin1', 8, 12) === 'WEBP' &&
    data.toString('latin1', 12, 16) === 'VP8X' &&
    (data[20]! & 0x02) !== 0
  );
}

export const megabytes = (bytes: number) =>
  bytes >= MB ? `${(bytes / MB).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / KB)} KB`;
