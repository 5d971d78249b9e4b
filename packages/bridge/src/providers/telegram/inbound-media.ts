import type { InboundMedia } from '../../domain/messages.js';
import type { TelegramMessage } from './wire-types.js';

type Sticker = NonNullable<TelegramMessage['sticker']>;
type PhotoSize = NonNullable<TelegramMessage['photo']>[number];

/** Telegram sends several sizes of one photo; the bridge carries the largest. */
export function largestPhoto(sizes: readonly PhotoSize[]): PhotoSize | undefined {
  return sizes.reduce<PhotoSize | undefined>((best, size) => {
    if (!best) return size;
    const area = size.width * size.height;
    const bestArea = best.width * best.height;
    if (area !== bestArea) return area > bestArea ? size : best;
    return (size.file_size ?? 0) > (best.file_size ?? 0) ? size : best;
  }, undefined);
}

/** `is_animated` is a gzipped Lottie (.tgs), `is_video` a WEBM, anything else a WEBP. */
function stickerFormat(sticker: Sticker): { contentType: string; extension: string } {
  if (sticker.is_animated) return { contentType: 'application/x-tgsticker', extension: 'tgs' };
  if (sticker.is_video) return { contentType: 'video/webm', extension: 'webm' };
  return { contentType: 'image/webp', extension: 'webp' };
}

/**
 * The file-backed media of one message. `ref` is the `file_id`, which only this bot can use and
 * which `fetchMedia` turns into bytes through getFile. Telegram puts at most one of these on a message.
 */
export function fileMedia(m: TelegramMessage): InboundMedia[] {
  const media: InboundMedia[] = [];
  const photo = m.photo ? largestPhoto(m.photo) : undefined;
  if (photo)
    media.push({
      kind: 'image',
      contentType: 'image/jpeg',
      filename: 'photo.jpg',
      sizeBytes: photo.file_size,
      ref: photo.file_id,
    });
  if (m.voice) {
    media.push({
      kind: 'voice',
      contentType: m.voice.mime_type ?? 'audio/ogg',
      filename: 'voice.ogg',
      sizeBytes: m.voice.file_size,
      ref: m.voice.file_id,
    });
  }
  if (m.audio) {
    const a = m.audio;
    media.push({
      kind: 'audio',
      contentType: a.mime_type ?? 'audio/mpeg',
      filename: a.file_name ?? 'audio.mp3',
      sizeBytes: a.file_size,
      ref: a.file_id,
    });
  }
  if (m.video) {
    const v = m.video;
    media.push({
      kind: 'video',
      contentType: v.mime_type ?? 'video/mp4',
      filename: v.file_name ?? 'video.mp4',
      sizeBytes: v.file_size,
      ref: v.file_id,
    });
  }
  // Round videos have no mime_type: Telegram records them as MP4.
  if (m.video_note) {
    media.push({
      kind: 'video',
      contentType: 'video/mp4',
      filename: 'video-note.mp4',
      sizeBytes: m.video_note.file_size,
      ref: m.video_note.file_id,
    });
  }
  if (m.sticker) {
    const { contentType, extension } = stickerFormat(m.sticker);
    media.push({
      kind: 'sticker',
      contentType,
      filename: `sticker.${extension}`,
      sizeBytes: m.sticker.file_size,
      ref: m.sticker.file_id,
    });
  }
  if (m.document) {
    const d = m.document;
    media.push({
      kind: 'file',
      contentType: d.mime_type ?? 'application/octet-stream',
      filename: d.file_name ?? 'document',
      sizeBytes: d.file_size,
      ref: d.file_id,
    });
  }
  return media;
}
