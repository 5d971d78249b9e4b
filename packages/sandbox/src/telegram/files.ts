import { randomId, type FileKind, type StoredFile, type TelegramSandboxState } from './state.js';
import type { TgObject } from './wire.js';

const FOLDERS: Readonly<Record<FileKind, string>> = {
  photo: 'photos',
  voice: 'voice',
  audio: 'music',
  video: 'videos',
  video_note: 'video_notes',
  sticker: 'stickers',
  document: 'documents',
};
const DEFAULT_TYPES: Readonly<Record<FileKind, string>> = {
  photo: 'image/jpeg',
  voice: 'audio/ogg',
  audio: 'audio/mpeg',
  video: 'video/mp4',
  video_note: 'video/mp4',
  sticker: 'image/webp',
  document: 'application/octet-stream',
};

function extensionOf(kind: FileKind, fileName: string | undefined, mimeType: string): string {
  const fromName = fileName?.match(/\.([A-Za-z0-9]{1,8})$/)?.[1];
  if (kind === 'voice') return 'oga';
  if (kind === 'photo') return 'jpg';
  if (kind === 'video_note') return 'mp4';
  if (fromName) return fromName.toLowerCase();
  return mimeType.split('/')[1]?.replace(/^x-/, '').slice(0, 8) || 'bin';
}

/** Stores bytes the way Telegram does: a file_id per bot, a file_unique_id, a file_path under a kind folder. */
export function storeFile(
  state: TelegramSandboxState,
  input: { botId: number; kind: FileKind; data: Buffer; mimeType?: string; fileName?: string },
): StoredFile {
  const mimeType =
    input.mimeType && input.mimeType !== 'application/octet-stream' ? input.mimeType : DEFAULT_TYPES[input.kind];
  const number = state.nextFileNumber++;
  const file: StoredFile = {
    fileId: `${input.kind.slice(0, 2).toUpperCase()}ACAgQAAxkB${randomId(24)}`,
    fileUniqueId: `AgAD${randomId(9)}`,
    filePath: `${FOLDERS[input.kind]}/file_${number}.${extensionOf(input.kind, input.fileName, mimeType)}`,
    kind: input.kind,
    data: input.data,
    mimeType,
    fileName: input.fileName,
    botId: input.botId,
  };
  state.files.set(file.fileId, file);
  return file;
}

/** Width and height from a PNG, GIF or JPEG header; 512×512 when the format is not one of those. */
export function imageSize(data: Buffer): { width: number; height: number } {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47)
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  if (data.length > 10 && data.toString('latin1', 0, 3) === 'GIF')
    return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) {
    let at = 2;
    while (at + 9 < data.length && data[at] === 0xff) {
      const marker = data[at + 1]!;
      // SOF0..SOF15 hold the frame size; C4, C8 and CC are other segments with the same prefix.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { width: data.readUInt16BE(at + 7), height: data.readUInt16BE(at + 5) };
      }
      at += 2 + data.readUInt16BE(at + 2);
    }
  }
  return { width: 512, height: 512 };
}

const base = (file: StoredFile) => ({
  file_id: file.fileId,
  file_unique_id: file.fileUniqueId,
  file_size: file.data.length,
});

export interface MediaDetails {
  readonly duration?: number;
  readonly width?: number;
  readonly height?: number;
  readonly length?: number;
  readonly performer?: string;
  readonly title?: string;
  readonly emoji?: string;
}

/** A photo arrives in several sizes; the sandbox lists a thumbnail-sized entry and the original. */
function photoSizes(file: StoredFile): TgObject[] {
  const { width, height } = imageSize(file.data);
  const scale = Math.min(1, 90 / Math.max(width, height, 1));
  const thumb = {
    ...base(file),
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
  const original = { ...base(file), width, height };
  return scale < 1 ? [thumb, original] : [original];
}

export function isAnimatedSticker(file: StoredFile): boolean {
  return file.mimeType === 'application/x-tgsticker' || /\.tgs$/i.test(file.fileName ?? file.filePath);
}

export function isVideoSticker(file: StoredFile): boolean {
  return file.mimeType === 'video/webm' || /\.webm$/i.test(file.fileName ?? file.filePath);
}

/** The message field for a stored file, with only the fields the Bot API defines. */
export function mediaField(file: StoredFile, details: MediaDetails = {}): Record<string, unknown> {
  const duration = details.duration ?? 1;
  const name = file.fileName ? { file_name: file.fileName } : {};
  switch (file.kind) {
    case 'photo':
      return { photo: photoSizes(file) };
    case 'voice':
      return { voice: { ...base(file), duration, mime_type: file.mimeType } };
    case 'audio':
      return {
        audio: {
          ...base(file),
          duration,
          ...(details.performer ? { performer: details.performer } : {}),
          ...(details.title ? { title: details.title } : {}),
          ...name,
          mime_type: file.mimeType,
        },
      };
    case 'video': {
      const size = { width: details.width ?? 640, height: details.height ?? 360 };
      return { video: { ...base(file), ...size, duration, ...name, mime_type: file.mimeType } };
    }
    case 'video_note':
      return { video_note: { ...base(file), length: details.length ?? 384, duration } };
    case 'sticker': {
      const size = imageSize(file.data);
      const sticker = {
        ...base(file),
        type: 'regular',
        ...size,
        is_animated: isAnimatedSticker(file),
        is_video: isVideoSticker(file),
      };
      return { sticker: { ...sticker, ...(details.emoji ? { emoji: details.emoji } : {}) } };
    }
    case 'document':
      return { document: { ...base(file), ...name, mime_type: file.mimeType } };
  }
}
