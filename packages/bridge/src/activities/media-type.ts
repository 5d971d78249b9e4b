import { fileTypeFromBuffer } from 'file-type';
import type { MediaKind } from '../domain/messages.js';

/** file-type reads at most this many leading bytes to recognise any format it knows. */
export const SNIFF_BYTES = 4100;

/**
 * Labels for one format that file-type names differently from senders: a sender's label here is kept
 * when the bytes are any of its group (animated stickers that are gzip, voice notes that are Ogg...).
 */
const SAME_FORMAT: readonly (readonly string[])[] = [
  ['audio/ogg', 'audio/opus', 'application/ogg', 'video/ogg', 'audio/vorbis'],
  ['video/mp4', 'audio/mp4', 'audio/x-m4a', 'audio/m4a', 'video/x-m4v'],
  ['audio/mpeg', 'audio/mp3', 'audio/x-mpeg'],
  ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  ['video/webm', 'audio/webm'],
  ['application/gzip', 'application/x-gzip', 'application/x-tgsticker'],
  ['application/zip', 'application/x-zip-compressed'],
  [
    'application/x-msdownload',
    'application/vnd.microsoft.portable-executable',
    'application/x-msdos-program',
    'application/x-dosexec',
  ],
];

/** Programs a person could be tricked into running; never carried, whatever they were labelled. */
export const EXECUTABLE_TYPES: readonly string[] = [
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/vnd.microsoft.portable-executable',
  'application/x-dosexec',
  'application/x-executable',
  'application/x-elf',
  'application/x-mach-binary',
  'application/x-sh',
];

const bare = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();
const sameFormat = (a: string, b: string) =>
  a === b || SAME_FORMAT.some((group) => group.includes(a) && group.includes(b));

/** The type a file is carried as, after its bytes had their say. */
export interface CheckedType {
  /** The declared type when the bytes agree or say nothing; else what the bytes are. */
  readonly contentType: string;
  /** The bytes proved the declared type wrong. */
  readonly changed: boolean;
  /** The extension that goes with `contentType` when it changed (`pdf`, `exe`). */
  readonly extension?: string;
}

/**
 * Checks a declared MIME type against the file's first bytes with file-type, which recognises binary
 * formats by their signatures. A type is replaced only when the bytes are positively something else:
 * text formats (HTML, SVG, scripts) have no signature, so unrecognised bytes keep the declared type.
 */
export async function checkedType(declared: string, head: Uint8Array): Promise<CheckedType> {
  const found = await fileTypeFromBuffer(head.subarray(0, SNIFF_BYTES));
  if (!found || sameFormat(bare(declared), found.mime)) return { contentType: declared, changed: false };
  return { contentType: found.mime, changed: true, extension: found.ext };
}

export function isExecutable(contentType: string): boolean {
  return EXECUTABLE_TYPES.includes(bare(contentType));
}

/** `photo.jpg` + `pdf` → `photo.pdf`: the name a person opens should match what the file is. */
export function withExtension(filename: string, extension: string): string {
  const dot = filename.lastIndexOf('.');
  return `${dot > 0 ? filename.slice(0, dot) : filename}.${extension}`;
}

/**
 * The kind once the type changed: a kind that promised an image, a sound or a video keeps its promise
 * only if the bytes are one; otherwise the file travels as a plain file.
 */
export function kindForType(kind: MediaKind, contentType: string): MediaKind {
  const family = bare(contentType).split('/')[0];
  const promised: Record<MediaKind, string | undefined> = {
    image: 'image',
    sticker: 'image',
    audio: 'audio',
    voice: 'audio',
    video: 'video',
    file: undefined,
  };
  const wanted = promised[kind];
  return wanted === undefined || wanted === family ? kind : 'file';
}

/**
 * Reads the first `bytes` of a stream for sniffing and gives back a stream that still yields every
 * byte, those first ones included, so nothing is held beyond the head.
 */
export async function peek(
  stream: ReadableStream<Uint8Array>,
  bytes = SNIFF_BYTES,
): Promise<{ head: Uint8Array; body: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.byteLength;
  }
  const head = Buffer.concat(chunks);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      if (done) controller.close();
    },
    async pull(controller) {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { head, body };
}
