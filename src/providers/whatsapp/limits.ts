import type { MediaKind } from '../../domain/messages.js';

/** WhatsApp's media limits (../shared/reference/providers.md §2.4). */
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

/** The formats WhatsApp renders as each type; anything else goes as a document. */
const FORMATS: Readonly<Record<Exclude<WaMediaType, 'document'>, readonly string[]>> = {
  image: ['image/jpeg', 'image/png'],
  audio: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
  video: ['video/mp4', 'video/3gpp'],
  sticker: ['image/webp'],
};

const bare = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/** The WhatsApp message type for a canonical attachment: its own type when the format fits, else a document. */
export function waTypeFor(kind: MediaKind, contentType: string): WaMediaType {
  const wanted: WaMediaType = kind === 'voice' ? 'audio' : kind === 'file' ? 'document' : kind;
  if (wanted === 'document') return 'document';
  return FORMATS[wanted].includes(bare(contentType)) ? wanted : 'document';
}

/** The canonical kind for a WhatsApp type, for inbound limits. */
export function limitFor(kind: MediaKind): number {
  return kind === 'voice' || kind === 'audio' ? MAX_BYTES.audio : kind === 'file' ? MAX_BYTES.document : MAX_BYTES[kind];
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

export const megabytes = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / KB)} KB`);
