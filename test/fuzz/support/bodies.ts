import zlib from 'node:zlib';
import fc from 'fast-check';
import type { HeaderLine } from './http.js';

/** A body and the headers that describe its encoding (Content-Encoding, a charset), before any signature. */
export interface EncodedBody {
  readonly label: string;
  readonly body: Buffer;
  readonly headers: readonly HeaderLine[];
}

/** Anything at all: random bytes, short or up to 8 KiB. */
export const randomBytes: fc.Arbitrary<Buffer> = fc
  .oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.uint8Array({ maxLength: 8192 }),
    fc.string({ unit: 'binary', maxLength: 512 }).map((s) => new TextEncoder().encode(s)),
  )
  .map((bytes) => Buffer.from(bytes));

/** A valid body cut short anywhere, as a dropped connection or a proxy's buffer limit would leave it. */
export function truncated(text: string): fc.Arbitrary<Buffer> {
  const bytes = Buffer.from(text);
  return fc.integer({ min: 0, max: Math.max(0, bytes.length - 1) }).map((n) => bytes.subarray(0, n));
}

/** A body over `limit`: the valid JSON padded out, or filler. */
export function oversized(text: string, limit: number): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.integer({ min: limit + 1, max: limit * 3 }), fc.boolean()).map(([size, padJson]) => {
    if (!padJson) return Buffer.alloc(size, 0x41);
    const pad = ' '.repeat(Math.max(0, size - text.length));
    return Buffer.from(text.replace(/^\s*\{/, `{"pad":"${pad}",`));
  });
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return le.swap16();
}

/** Invalid UTF-8 sequences: a lone continuation byte, an overlong '/', an encoded surrogate, bytes never valid. */
const INVALID_UTF8 = [
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
];

const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(16 << 20));

/** A valid payload in the wrong encoding: another charset, broken UTF-8, or compressed with a Content-Encoding. */
export function wronglyEncoded(text: string): fc.Arbitrary<EncodedBody> {
  const plain = Buffer.from(text);
  return fc.oneof(
    fc.constantFrom<EncodedBody>(
      {
        label: 'latin1',
        body: Buffer.from(text, 'latin1'),
        headers: [['Content-Type', 'application/json; charset=iso-8859-1']],
      },
      {
        label: 'latin1 declared utf-8',
        body: Buffer.from(text, 'latin1'),
        headers: [['Content-Type', 'application/json; charset=utf-8']],
      },
      {
        label: 'utf-16le with BOM',
        body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
        headers: [['Content-Type', 'application/json; charset=utf-16']],
      },
      { label: 'utf-16be undeclared', body: utf16be(text), headers: [['Content-Type', 'application/json']] },
      {
        label: 'utf-8 BOM',
        body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]),
        headers: [['Content-Type', 'application/json']],
      },
      {
        label: 'gzip',
        body: zlib.gzipSync(plain),
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
        ],
      },
      {
        label: 'deflate',
        body: zlib.deflateSync(plain),
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'deflate'],
        ],
      },
      {
        label: 'brotli',
        body: zlib.brotliCompressSync(plain),
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'br'],
        ],
      },
      { label: 'gzip undeclared', body: zlib.gzipSync(plain), headers: [['Content-Type', 'application/json']] },
      {
        label: 'declared gzip, sent plain',
        body: plain,
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
        ],
      },
      {
        label: 'identity',
        body: plain,
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'identity'],
        ],
      },
      {
        label: 'gzip twice',
        body: zlib.gzipSync(zlib.gzipSync(plain)),
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip, gzip'],
        ],
      },
      {
        label: 'unknown encoding',
        body: plain,
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'x-fuzz'],
        ],
      },
      // A gzip bomb: 16 MiB of zeros in a few KiB; must be refused without being inflated.
      {
        label: 'gzip bomb',
        body: GZIP_BOMB,
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
        ],
      },
    ),
    fc.tuple(fc.integer({ min: 0, max: plain.length }), fc.constantFrom(...INVALID_UTF8)).map(([at, bad]) => ({
      label: 'invalid utf-8',
      body: Buffer.concat([plain.subarray(0, at), bad, plain.subarray(at)]),
      headers: [['Content-Type', 'application/json']] as HeaderLine[],
    })),
  );
}
