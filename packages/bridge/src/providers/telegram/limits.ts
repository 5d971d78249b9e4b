import type { MediaKind } from '../../domain/messages.js';

const MB = 1024 * 1024;

/** https://core.telegram.org/bots/api#sending-files and #sendmessage */
export const TELEGRAM_LIMITS = {
  /** Bots can download files of up to 20 MB through getFile. */
  downloadBytes: 20 * MB,
  /** Multipart uploads: photos up to 10 MB, everything else up to 50 MB. */
  uploadBytes: {
    image: 10 * MB,
    audio: 50 * MB,
    voice: 50 * MB,
    video: 50 * MB,
    sticker: 50 * MB,
    file: 50 * MB,
  } satisfies Record<MediaKind, number>,
  /** After entity parsing. */
  textChars: 4096,
  captionChars: 1024,
} as const;

/** Rounded up to 0.1 MB, so a file just over a limit never reads as equal to it. */
export function megabytes(bytes: number): string {
  return `${(Math.ceil((bytes / MB) * 10) / 10).toFixed(1).replace(/\.0$/, '')} MB`;
}
