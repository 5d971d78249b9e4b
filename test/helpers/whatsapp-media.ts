import { crc32, deflateSync } from 'node:zlib';

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

/** A real PNG of `width`×`height` with a diagonal two-colour pattern, so screenshots show a picture. */
export function png(width: number, height: number, a: [number, number, number], b: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, bl] = (x + y) % 40 < 20 ? a : b;
      const at = y * (1 + width * 3) + 1 + x * 3;
      rows[at] = r;
      rows[at + 1] = g;
      rows[at + 2] = bl;
    }
  }
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
