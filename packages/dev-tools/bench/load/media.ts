import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenericAttachment } from './webhooks.js';

// Real magic numbers, so content sniffing sees the type the attachment declares.
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const OGG_SIGNATURE = Buffer.from('OggS');

/** A loopback file server for the media mix: every path answers the same image, as a CDN would. */
export async function startMediaServer(imageBytes: number): Promise<{ url: string; close: () => Promise<void> }> {
  const image = Buffer.concat([PNG_SIGNATURE, randomBytes(Math.max(0, imageBytes - PNG_SIGNATURE.length))]);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(image.length) });
    res.end(image);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The media mix: a third text only, a third with an image the bridge downloads by URL, a third with a
 * voice note inline (`dataBase64`, staged by the api before it answers).
 */
export function mediaMixAttachments(index: number, mediaUrl: string, voiceBytes: number): GenericAttachment[] {
  switch (index % 3) {
    case 1:
      return [
        {
          kind: 'image',
          contentType: 'image/png',
          filename: `photo-${index}.png`,
          url: `${mediaUrl}/photo-${index}.png`,
        },
      ];
    case 2:
      return [
        {
          kind: 'voice',
          contentType: 'audio/ogg',
          filename: `voice-${index}.ogg`,
          dataBase64: inlineVoice(voiceBytes),
        },
      ];
    default:
      return [];
  }
}

let voice: string | undefined;
function inlineVoice(bytes: number): string {
  voice ??= Buffer.concat([OGG_SIGNATURE, randomBytes(Math.max(0, bytes - OGG_SIGNATURE.length))]).toString('base64');
  return voice;
}
