import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InboundEvent } from '../../packages/bridge/src/providers/types.js';
import { ProviderError } from '../../packages/bridge/src/providers/types.js';
import { SAMPLES, webp } from '../helpers/whatsapp-media.js';
import { startWhatsAppWorld, waitFor, type WhatsAppWorld } from '../helpers/whatsapp-world.js';

const readAll = async (body: ReadableStream<Uint8Array>) => Buffer.from(await new Response(body).arrayBuffer());

/** The customer sends a file; the receiver's normalised message gives the media ref the bridge keeps. */
async function customerMedia(world: WhatsAppWorld, body: Record<string, unknown>) {
  const { wamid } = await world.customer(body);
  const event = await waitFor('the message webhook', () =>
    world.received
      .flatMap((r) => r.events)
      .find(
        (e): e is Extract<InboundEvent, { kind: 'message' }> =>
          e.kind === 'message' && e.message.providerMessageId === wamid,
      ),
  );
  return event.message.media[0]!;
}

describe('fetching WhatsApp media through the emulator', () => {
  let world: WhatsAppWorld;
  before(async () => {
    world = await startWhatsAppWorld();
  });
  after(() => world.close());

  it('downloads in two steps with the Bearer token and checks the sha256', async () => {
    const image = SAMPLES.jpeg();
    const media = await customerMedia(world, {
      type: 'image',
      caption: 'look',
      file: { dataBase64: image.toString('base64'), mimeType: 'image/jpeg' },
    });
    const urls: string[] = [];
    const blob = await world
      .adapter(async (input, init) => {
        urls.push(String(input));
        assert.match(new Headers(init?.headers).get('authorization') ?? '', /^Bearer /);
        return fetch(input, init);
      })
      .fetchMedia(media);
    assert.equal(blob.contentType, 'image/jpeg');
    assert.equal(blob.sizeBytes, image.length);
    assert.deepEqual(await readAll(blob.body), image);
    assert.equal(urls.length, 2);
    assert.match(urls[0]!, /\/v23\.0\/\d+\?phone_number_id=/);
    assert.match(urls[1]!, /\/whatsapp_business\/attachments\//);
  });

  it('keeps a voice note, a sticker and a document with their type and filename', async () => {
    const voice = await customerMedia(world, {
      type: 'voice',
      file: { dataBase64: SAMPLES.ogg().toString('base64'), mimeType: 'audio/ogg; codecs=opus' },
    });
    assert.equal(voice.kind, 'voice');
    assert.equal((await world.adapter().fetchMedia(voice)).contentType, 'audio/ogg; codecs=opus');
    const sticker = await customerMedia(world, {
      type: 'sticker',
      file: { dataBase64: webp(3000).toString('base64'), mimeType: 'image/webp' },
    });
    assert.deepEqual(await readAll((await world.adapter().fetchMedia(sticker)).body), webp(3000));
    const doc = await customerMedia(world, {
      type: 'document',
      file: { dataBase64: SAMPLES.pdf().toString('base64'), mimeType: 'application/pdf', filename: 'terms.pdf' },
    });
    assert.equal((await world.adapter().fetchMedia(doc)).filename, 'terms.pdf');
  });

  it('fetches a fresh URL when the first one expired before the download', async () => {
    const media = await customerMedia(world, {
      type: 'image',
      file: { dataBase64: SAMPLES.png().toString('base64'), mimeType: 'image/png' },
    });
    let metadataCalls = 0;
    let expiredOnce = false;
    const blob = await world
      .adapter(async (input, init) => {
        const url = String(input);
        if (url.includes('?phone_number_id=')) metadataCalls += 1;
        if (url.includes('/whatsapp_business/') && !expiredOnce) {
          expiredOnce = true;
          // Six minutes pass between the two steps: the URL is now past its five minutes.
          await world.control('POST', '/clock', { advanceMs: 6 * 60_000 });
        }
        return fetch(input, init);
      })
      .fetchMedia(media);
    assert.deepEqual(await readAll(blob.body), SAMPLES.png());
    assert.equal(metadataCalls, 2);
  });

  it('fails the stream when the bytes do not match the sha256 WhatsApp gave', async () => {
    const media = await customerMedia(world, {
      type: 'image',
      file: { dataBase64: SAMPLES.jpeg().toString('base64'), mimeType: 'image/jpeg' },
    });
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/whatsapp_business/')) return res;
      const bytes = Buffer.from(await res.arrayBuffer());
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
      return new Response(bytes, { status: 200, headers: { 'content-type': 'image/jpeg' } });
    };
    const blob = await world.adapter(tampering).fetchMedia(media);
    await assert.rejects(
      readAll(blob.body),
      (e: unknown) => e instanceof ProviderError && /does not match its sha256/.test(e.reason),
    );
  });

  it('refuses media WhatsApp reports as larger than the kind allows, without downloading it', async () => {
    const media = await customerMedia(world, {
      type: 'image',
      file: { dataBase64: SAMPLES.jpeg().toString('base64'), mimeType: 'image/jpeg' },
    });
    let downloaded = false;
    const inflating: typeof fetch = async (input, init) => {
      if (String(input).includes('/whatsapp_business/')) downloaded = true;
      const res = await fetch(input, init);
      if (!String(input).includes('?phone_number_id=')) return res;
      const meta = (await res.json()) as Record<string, unknown>;
      return Response.json({ ...meta, file_size: 6 * 1024 * 1024 });
    };
    await assert.rejects(
      world.adapter(inflating).fetchMedia(media),
      (e: unknown) =>
        e instanceof ProviderError && !e.retryable && /image is 6 MB; WhatsApp image files over 5 MB/.test(e.reason),
    );
    assert.equal(downloaded, false);
  });

  it('reports an unknown media id as final and an outage as retryable', async () => {
    const missing = { kind: 'image' as const, ref: '424242424242' };
    await assert.rejects(
      world.adapter().fetchMedia(missing),
      (e: unknown) => e instanceof ProviderError && !e.retryable && e.options.code === 100,
    );
    await world.control('POST', '/faults', { kind: 'server_error', count: 1, scope: 'media' });
    await assert.rejects(
      world.adapter().fetchMedia(missing),
      (e: unknown) => e instanceof ProviderError && e.retryable,
    );
  });
});
