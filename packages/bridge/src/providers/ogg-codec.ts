/**
 * The codec inside an Ogg file, from its first page: the first packet of the stream names it
 * (`OpusHead` for Opus, RFC 7845 §5.1; `\x01vorbis` for Vorbis; `\x7fFLAC`; `Speex   `). Voice notes
 * are Ogg/Opus on both Telegram and WhatsApp, and WhatsApp takes no other Ogg audio.
 */
export type OggCodec = 'opus' | 'vorbis' | 'flac' | 'speex';

const SIGNATURES: readonly (readonly [OggCodec, string])[] = [
  ['opus', 'OpusHead'],
  ['vorbis', '\x01vorbis'],
  ['flac', '\x7fFLAC'],
  ['speex', 'Speex   '],
];

/** Undefined when the bytes are not Ogg or the first page names no codec the bridge knows. */
export function oggCodec(data: Uint8Array): OggCodec | undefined {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 512)).toString('latin1');
  if (!head.startsWith('OggS')) return undefined;
  // The first packet starts after the 27-byte page header and its segment table (byte 26 counts the segments).
  const packet = head.slice(27 + head.charCodeAt(26));
  return SIGNATURES.find(([, signature]) => packet.startsWith(signature))?.[0];
}
