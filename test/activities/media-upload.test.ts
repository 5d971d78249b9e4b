import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import busboy from 'busboy';
import { contactProfile, sharedAttachments } from '../../packages/bridge/src/activities/inbound-attachments.js';
import { createPortalPacer } from '../../packages/bridge/src/activities/rate-limit.js';
import { mediaNote } from '../../packages/bridge/src/activities/media-notes.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { multipartStream } from '../../packages/bridge/src/hubspot/files.js';
import { tempStore } from '../helpers/bridge.js';

function chunks(parts: Buffer[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < parts.length) controller.enqueue(new Uint8Array(parts[i++]!));
      else controller.close();
    },
  });
}

/** Parses what we send with busboy, the parser HubSpot's sandbox (and Multer) use. */
async function parse(stream: ReadableStream<Uint8Array>, boundary: string) {
  const fields: Record<string, string> = {};
  let file: { name: string; type: string; bytes: Buffer } | undefined;
  await new Promise<void>((resolve, reject) => {
    const parser = busboy({ headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, body, info) => {
      const parts: Buffer[] = [];
      body.on('data', (d: Buffer) => parts.push(d));
      body.on('end', () => (file = { name: info.filename ?? '', type: info.mimeType, bytes: Buffer.concat(parts) }));
    });
    parser.on('close', resolve);
    parser.on('error', reject);
    Readable.fromWeb(stream as import('node:stream/web').ReadableStream).pipe(parser);
  });
  return { fields, file };
}

describe('HubSpot Files upload body', () => {
  it('streams folderPath, fileName, options as a JSON string with access PRIVATE, then the file, reporting progress per chunk', async () => {
    const parts = [Buffer.alloc(1000, 1), Buffer.alloc(2000, 2), Buffer.alloc(500, 3)];
    const progress: number[] = [];
    const stream = multipartStream(
      {
        fileName: 'voice "note".ogg',
        contentType: 'audio/ogg',
        body: chunks(parts),
        folderPath: '/channel-bridge/42',
        onProgress: (n) => progress.push(n),
      },
      'b-test',
    );
    const { fields, file } = await parse(stream, 'b-test');
    assert.equal(fields.folderPath, '/channel-bridge/42');
    assert.deepEqual(JSON.parse(fields.options!), {
      access: 'PRIVATE',
      overwrite: false,
      duplicateValidationStrategy: 'NONE',
    });
    assert.equal(file?.type, 'audio/ogg');
    assert.equal(file?.name, 'voice _note_.ogg');
    assert.deepEqual(file?.bytes, Buffer.concat(parts));
    assert.deepEqual(progress, [1000, 3000, 3500]);
  });
});

describe('LOCATION and CONTACT attachments', () => {
  const base = {
    accountId: 'a',
    provider: 'whatsapp',
    providerMessageId: 'p',
    providerChatId: 'c',
    conversationKey: 'a:c',
    sender: { id: 's' },
    text: '',
    media: [],
    sentAt: new Date().toISOString(),
  } as unknown as InboundMessage;

  it("maps a location and contact cards to HubSpot attachments, leaving out types outside HubSpot's enums", () => {
    const attachments = sharedAttachments({
      ...base,
      location: { latitude: 1.5, longitude: -2, name: 'Shop' },
      contacts: [
        {
          name: { formattedName: 'Ann Lee' },
          phones: [
            { phone: '+1', type: 'cell' },
            { phone: '+2', type: 'iPhone' },
          ],
          emails: [],
          addresses: [{ city: 'Oslo', type: 'HOME' }],
          urls: [],
        },
      ],
    });
    assert.deepEqual(attachments, [
      { type: 'LOCATION', latitude: 1.5, longitude: -2, name: 'Shop' },
      {
        type: 'CONTACT',
        contactProfile: {
          name: { firstName: 'Ann Lee' },
          emails: [],
          phones: [{ phone: '+1', type: 'CELL' }, { phone: '+2' }],
          addresses: [{ city: 'Oslo', type: 'HOME' }],
          urls: [],
        },
      },
    ]);
  });

  it('keeps structured names as they are', () => {
    assert.deepEqual(
      contactProfile({
        name: { formattedName: 'Dr Ann Lee', firstName: 'Ann', lastName: 'Lee', prefix: 'Dr' },
        phones: [],
        emails: [],
        addresses: [],
        urls: [],
        org: { company: 'Acme' },
      }).name,
      { firstName: 'Ann', lastName: 'Lee', prefix: 'Dr' },
    );
  });
});

describe('media notes', () => {
  it('names the kind and the file, and says why', () => {
    assert.equal(
      mediaNote({ kind: 'voice', ref: 'x', filename: 'v.ogg' }, 'it is 30.0 MB, and the limit is 20.0 MB'),
      '[A voice message "v.ogg" was sent but could not be carried: it is 30.0 MB, and the limit is 20.0 MB]',
    );
  });
});

describe('per-portal pacing through the store', () => {
  it('hands out at most max slots per window, per portal, shared by every pacer on the same store; past half of them, one per gap', async () => {
    const { store } = tempStore();
    let now = 1_000_000;
    const waits: number[] = [];
    const waitOnTheClock = (ms: number) => {
      waits.push(ms);
      now += ms;
    };
    const a = createPortalPacer(store, { max: 3, intervalMs: 1_000 }, () => now);
    const b = createPortalPacer(store, { max: 3, intervalMs: 1_000 }, () => now);
    const call = async () => 'ok';
    await a('p1', call, waitOnTheClock);
    await b('p1', call, waitOnTheClock);
    assert.deepEqual(waits, [], 'the first calls go at once');
    await a('p1', call, waitOnTheClock);
    assert.equal(waits.length, 1, 'the third, past half the budget, waits for its gap');
    await b('p2', call, waitOnTheClock);
    assert.equal(waits.length, 1, 'another portal has its own budget');
    assert.ok((await store.takeCallSlot('hubspot:p1', 3, 1_050, now)) > 0, 'the window is full');
    await b('p1', call, waitOnTheClock);
    assert.ok(now >= 1_000_000 + 1_010, 'the fourth call came once the first slot had left the window');
    await store.close();
  });
});
