/**
 * Meta's media rules as the emulator enforces them
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types). Kept apart
 * from the adapter's copy on purpose: the emulator stands in for Meta and must not share the bridge's code.
 */
const MB = 1024 * 1024;
const KB = 1024;

export type MediaType = 'image' | 'audio' | 'video' | 'sticker' | 'document';

const TYPES: Readonly<Record<MediaType, readonly string[]>> = {
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

export const MAX_BYTES: Readonly<Record<MediaType, number>> = {
  image: 5 * MB,
  audio: 16 * MB,
  video: 16 * MB,
  sticker: 500 * KB,
  document: 100 * MB,
};
export const MAX_STATIC_STICKER_BYTES = 100 * KB;
export const MAX_UPLOAD_BYTES = MAX_BYTES.document;
export const ALL_TYPES: readonly string[] = Object.values(TYPES).flat();

const bare = (mime: string) => mime.split(';')[0]!.trim().toLowerCase();

/** The media type a MIME type belongs to, or undefined when WhatsApp refuses it. */
export function mediaTypeOf(mime: string): MediaType | undefined {
  const m = bare(mime);
  return (Object.keys(TYPES) as MediaType[]).find((t) => TYPES[t].includes(m));
}

/** Whether a file of `mime` may be sent as `type` (any accepted file may go as a document). */
export function fits(type: MediaType, mime: string): boolean {
  return type === 'document' ? mediaTypeOf(mime) !== undefined : TYPES[type].includes(bare(mime));
}

export function isAnimatedWebp(data: Buffer): boolean {
  return (
    data.length > 21 &&
    data.toString('latin1', 0, 4) === 'RIFF' &&
    data.toString('latin1', 12, 16) === 'VP8X' &&
    (data[20]! & 0x02) !== 0
  );
}

export const isVoice = (mime: string) => bare(mime) === 'audio/ogg';
