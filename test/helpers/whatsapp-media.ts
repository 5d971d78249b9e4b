/** Small, well-formed-enough files for each WhatsApp kind; only headers matter to the emulator and adapter. */

/** A RIFF/WEBP header with a VP8X chunk; `animated` sets the animation flag the sticker limits depend on. */
export function webp(size: number, animated = false): Buffer {
  const data = Buffer.alloc(Math.max(size, 30));
  data.write('RIFF', 0, 'latin1');
  data.writeUInt32LE(data.length - 8, 4);
  data.write('WEBP', 8, 'latin1');
  data.write('VP8X', 12, 'latin1');
  data.writeUInt32LE(10, 16);
  data[20] = animated ? 0x02 : 0x00;
  return data;
}

/** Bytes that start like the format, padded to `size`. */
export function file(size: number, magic = ''): Buffer {
  const data = Buffer.alloc(size, 0x2a);
  data.write(magic, 0, 'latin1');
  return data;
}

export const SAMPLES = {
  jpeg: () => file(2048, '\xff\xd8\xff\xe0'),
  png: () => file(1024, '\x89PNG\r\n\x1a\n'),
  ogg: () => file(3000, 'OggS'),
  mp3: () => file(4000, 'ID3'),
  mp4: () => file(5000, '\x00\x00\x00\x18ftypmp42'),
  pdf: () => file(1500, '%PDF-1.7'),
} as const;
