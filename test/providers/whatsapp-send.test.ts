import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ProviderError, type OutboundAttachment } from '../../packages/bridge/src/providers/types.js';
import { lookupPhoneNumber, markMessageRead } from '../../packages/bridge/src/providers/whatsapp/index.js';
import { specCheck } from '../helpers/spec-schemas.js';
import { assertValid, WHATSAPP_SEND_SPEC, whatsappSendMessage } from '../helpers/whatsapp-schemas.js';
import { SAMPLES, webp } from '../helpers/whatsapp-media.js';
import { oggOpus, oggVorbis } from '../helpers/outbound-world.js';
import {
  CUSTOMER,
  PHONE_NUMBER_ID,
  rawStatusesFor,
  receiptsFor,
  SECRETS,
  startWhatsAppWorld,
  waitFor,
  type WhatsAppWorld,
} from '../helpers/whatsapp-world.js';

interface Call {
  readonly url: string;
  readonly method: string;
  readonly json?: Record<string, unknown>;
}

/** Real fetch, recording what the adapter asks for so each request can be checked against the spec. */
function recordingFetch(calls: Call[]): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    const body = init?.body;
    calls.push({
      url,
      method: init?.method ?? 'GET',
      json: typeof body === 'string' ? (JSON.parse(body) as Record<string, unknown>) : undefined,
    });
    return fetch(input, init);
  };
}

const attachment = (
  kind: OutboundAttachment['kind'],
  contentType: string,
  data: Buffer,
  filename: string,
): OutboundAttachment => ({ kind, contentType, data, filename });
const sentRequests = (calls: Call[]) => calls.filter((c) => c.url.endsWith('/messages')).map((c) => c.json!);
const isProviderError =
  (match: Partial<{ retryable: boolean; code: string | number; reason: RegExp }>) => (e: unknown) =>
    e instanceof ProviderError &&
    (match.retryable === undefined || e.retryable === match.retryable) &&
    (match.code === undefined || e.options.code === match.code) &&
    (match.reason === undefined || match.reason.test(e.reason));

describe('sending through the WhatsApp emulator', () => {
  let world: WhatsAppWorld;
  before(async () => {
    world = await startWhatsAppWorld();
  });
  // The customer writes before each test, so the business is inside WhatsApp's 24-hour window.
  beforeEach(async () => {
    await world.customer({ type: 'text', text: 'hello, I need help' });
  });
  after(() => world.close());

  it('sends text as one request with a link preview, then sees it read', async (t) => {
    const calls: Call[] = [];
    const result = await world
      .adapter(recordingFetch(calls))
      .send({ chatId: `+${CUSTOMER}`, text: 'Hi *Jane*, see https://example.com', attachments: [] });
    assert.equal(result.providerMessageIds.length, 1);
    const [request] = sentRequests(calls);
    assert.deepEqual(request, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: CUSTOMER,
      type: 'text',
      text: { body: 'Hi *Jane*, see https://example.com', preview_url: true },
    });
    await waitFor('read receipt', () =>
      receiptsFor(world, result.providerMessageIds[0]!).some((r) => r.status === 'read'),
    );
    await specCheck(t, WHATSAPP_SEND_SPEC, 'the text request', () =>
      assertValid(whatsappSendMessage(), request, 'text request'),
    );
  });

  it('uploads and sends every media kind by id, with captions only where WhatsApp shows them', async (t) => {
    const calls: Call[] = [];
    const files = [
      attachment('image', 'image/jpeg', SAMPLES.jpeg(), 'photo.jpg'),
      attachment('audio', 'audio/mpeg', SAMPLES.mp3(), 'song.mp3'),
      attachment('voice', 'audio/ogg', SAMPLES.ogg(), 'voice.ogg'),
      attachment('video', 'video/mp4', SAMPLES.mp4(), 'clip.mp4'),
      attachment('sticker', 'image/webp', webp(20 * 1024), 'sticker.webp'),
      attachment('file', 'application/pdf', SAMPLES.pdf(), 'invoice.pdf'),
    ];
    // As the core sends a reply: one part per call, the text on the first file, the reply context on the first part.
    const adapter = world.adapter(recordingFetch(calls));
    const ids: string[] = [];
    for (const [index, file] of files.entries()) {
      const first = index === 0 ? { text: 'Here you go', replyToProviderMessageId: 'wamid.CUSTOMER.QUESTION' } : {};
      ids.push(...(await adapter.send({ chatId: CUSTOMER, ...first, attachments: [file] })).providerMessageIds);
    }
    const result = { providerMessageIds: ids };
    assert.equal(result.providerMessageIds.length, 6);
    const requests = sentRequests(calls);
    assert.deepEqual(
      requests.map((r) => r.type),
      ['image', 'audio', 'audio', 'video', 'sticker', 'document'],
    );
    assert.equal((requests[0]!.image as { caption?: string }).caption, 'Here you go');
    assert.deepEqual(requests[0]!.context, { message_id: 'wamid.CUSTOMER.QUESTION' });
    assert.equal(requests[1]!.context, undefined);
    assert.deepEqual(requests[5]!.document, {
      id: (requests[5]!.document as { id: string }).id,
      filename: 'invoice.pdf',
    });
    assert.equal(calls.filter((c) => c.url.endsWith('/media')).length, 6);
    const voiceWamid = result.providerMessageIds[2]!;
    await waitFor('played', () => rawStatusesFor(world, voiceWamid).includes('played'));
    const ledger = (await world.control('GET', '/ledger')).body as { sent: { wamid: string; type: string }[] };
    for (const id of result.providerMessageIds)
      assert.ok(
        ledger.sent.some((m) => m.wamid === id),
        `${id} in the ledger`,
      );
    await specCheck(t, WHATSAPP_SEND_SPEC, 'every media request', () => {
      for (const r of requests) assertValid(whatsappSendMessage(), r, `${String(r.type)} request`);
    });
  });

  it('refuses, as a programming error and before any upload, several files or a caption the file cannot carry', async () => {
    const calls: Call[] = [];
    const adapter = world.adapter(recordingFetch(calls));
    // The core sends one part at a time and plans captions with the module's reply rules
    // (src/activities/reply-plan.ts).
    const programmingError = (pattern: RegExp) => (e: unknown) =>
      e instanceof Error && !(e instanceof ProviderError) && pattern.test(e.message);
    await assert.rejects(
      adapter.send({
        chatId: CUSTOMER,
        text: 'your invoice',
        attachments: [
          attachment('audio', 'audio/mpeg', SAMPLES.mp3(), 'song.mp3'),
          attachment('file', 'application/pdf', SAMPLES.pdf(), 'invoice.pdf'),
        ],
      }),
      programmingError(
        /^the WhatsApp adapter sends one part at a time \(a text, or one file with its caption\); got 2 files$/,
      ),
    );
    await assert.rejects(
      adapter.send({
        chatId: CUSTOMER,
        text: 'listen to this',
        attachments: [attachment('voice', 'audio/ogg', SAMPLES.ogg(), 'v.ogg')],
      }),
      programmingError(/^the WhatsApp adapter got a caption "v.ogg" cannot carry \(audio, 14 characters\)/),
    );
    await assert.rejects(
      adapter.send({
        chatId: CUSTOMER,
        text: 'x'.repeat(1025),
        attachments: [attachment('file', 'application/pdf', SAMPLES.pdf(), 'invoice.pdf')],
      }),
      programmingError(/^the WhatsApp adapter got a caption "invoice.pdf" cannot carry \(document, 1025 characters\)/),
    );
    assert.equal(calls.length, 0, 'nothing was uploaded or sent');
  });

  it('sends an Ogg/Opus recording as a voice note (audio.voice = true) and other audio as plain audio', async () => {
    const calls: Call[] = [];
    const note = attachment('audio', 'audio/ogg', oggOpus(), 'note.ogg');
    const song = attachment('audio', 'audio/mpeg', SAMPLES.mp3(), 'song.mp3');
    const adapter = world.adapter(recordingFetch(calls));
    await adapter.send({ chatId: CUSTOMER, attachments: [note] });
    await adapter.send({ chatId: CUSTOMER, attachments: [song] });
    const [voice, plain] = sentRequests(calls);
    assert.deepEqual(voice!.audio, { id: (voice!.audio as { id: string }).id, voice: true });
    assert.equal((plain!.audio as { voice?: boolean }).voice, undefined);
  });

  it('refuses Ogg audio that is not Opus before uploading it ("OPUS codecs only; base audio/ogg not supported")', async () => {
    const calls: Call[] = [];
    const music = attachment('audio', 'audio/ogg', oggVorbis(), 'track.ogg');
    await assert.rejects(
      world.adapter(recordingFetch(calls)).send({ chatId: CUSTOMER, attachments: [music] }),
      isProviderError({ retryable: false, code: 'unsupported_media_type', reason: /"track.ogg" is Ogg vorbis audio/ }),
    );
    assert.equal(calls.length, 0);
  });

  it('splits a long text into messages of at most 4096 characters, the reply context on the first', async () => {
    const calls: Call[] = [];
    const text = `${'a'.repeat(4000)}\n\n${'b'.repeat(200)}`;
    const result = await world.adapter(recordingFetch(calls)).send({
      chatId: CUSTOMER,
      text,
      attachments: [],
      replyToProviderMessageId: 'wamid.CUSTOMER.QUESTION',
    });
    const requests = sentRequests(calls);
    assert.deepEqual(
      requests.map((r) => (r.text as { body: string }).body.length),
      [4000, 200],
    );
    assert.deepEqual(requests[0]!.context, { message_id: 'wamid.CUSTOMER.QUESTION' });
    assert.equal(requests[1]!.context, undefined);
    assert.equal(result.providerMessageIds.length, 2);
  });

  it('sends again only the one message asked for (onlyPiece), with the reply context only when it is the first', async () => {
    const message = {
      chatId: CUSTOMER,
      text: `${'a'.repeat(4000)}\n\n${'b'.repeat(200)}`,
      attachments: [],
      replyToProviderMessageId: 'wamid.CUSTOMER.QUESTION',
    };
    const second: Call[] = [];
    const again = await world.adapter(recordingFetch(second)).send(message, { onlyPiece: 1 });
    assert.deepEqual(
      sentRequests(second).map((r) => (r.text as { body: string }).body),
      ['b'.repeat(200)],
      'the second piece, and nothing else sent',
    );
    assert.equal(sentRequests(second)[0]!.context, undefined);
    assert.equal(again.providerMessageIds.length, 1);

    const first: Call[] = [];
    await world.adapter(recordingFetch(first)).send(message, { onlyPiece: 0 });
    assert.equal((sentRequests(first)[0]!.text as { body: string }).body, 'a'.repeat(4000));
    assert.deepEqual(sentRequests(first)[0]!.context, { message_id: 'wamid.CUSTOMER.QUESTION' });

    // A file is its part's only message: piece 0 is the file with its caption and the reply context.
    const file: Call[] = [];
    await world.adapter(recordingFetch(file)).send(
      {
        chatId: CUSTOMER,
        text: 'your invoice',
        attachments: [attachment('file', 'application/pdf', SAMPLES.pdf(), 'invoice.pdf')],
        replyToProviderMessageId: 'wamid.CUSTOMER.QUESTION',
      },
      { onlyPiece: 0 },
    );
    const [captioned] = sentRequests(file);
    assert.equal((captioned!.document as { caption?: string }).caption, 'your invoice');
    assert.deepEqual(captioned!.context, { message_id: 'wamid.CUSTOMER.QUESTION' });
  });

  it('sends a format WhatsApp cannot show as its kind as a document', async () => {
    const calls: Call[] = [];
    await world
      .adapter(recordingFetch(calls))
      .send({ chatId: CUSTOMER, attachments: [attachment('sticker', 'image/png', SAMPLES.png(), 'sticker.png')] });
    const [request] = sentRequests(calls);
    assert.equal(request!.type, 'document');
  });

  it('refuses a format WhatsApp takes in no form, before uploading it', async () => {
    const calls: Call[] = [];
    const gif = attachment('image', 'image/gif', Buffer.from('GIF89a'), 'anim.gif');
    await assert.rejects(
      world.adapter(recordingFetch(calls)).send({ chatId: CUSTOMER, attachments: [gif] }),
      isProviderError({
        retryable: false,
        code: 'unsupported_media_type',
        reason: /"anim.gif" is image\/gif, a format WhatsApp does not accept/,
      }),
    );
    assert.equal(calls.length, 0);
  });

  it('refuses files over the per-kind limits before any upload, with a readable reason', async () => {
    const calls: Call[] = [];
    const cases: [OutboundAttachment, RegExp][] = [
      [
        attachment('image', 'image/png', Buffer.alloc(5 * 1024 * 1024 + 1), 'big.png'),
        /"big.png" is 5 MB; WhatsApp accepts images up to 5 MB/,
      ],
      [
        attachment('sticker', 'image/webp', webp(101 * 1024), 's.webp'),
        /WhatsApp accepts static stickers up to 100 KB/,
      ],
      [
        attachment('sticker', 'image/webp', webp(501 * 1024, true), 'a.webp'),
        /WhatsApp accepts animated stickers up to 500 KB/,
      ],
      [
        attachment('video', 'video/mp4', Buffer.alloc(16 * 1024 * 1024 + 1), 'v.mp4'),
        /WhatsApp accepts videos up to 16 MB/,
      ],
    ];
    for (const [file, reason] of cases) {
      await assert.rejects(
        world.adapter(recordingFetch(calls)).send({ chatId: CUSTOMER, text: 'x', attachments: [file] }),
        isProviderError({ retryable: false, code: 'media_too_large', reason }),
      );
    }
    assert.equal(calls.length, 0, 'nothing was uploaded or sent');
  });

  it('lets the window failure reach the rep: the send succeeds, then a failed receipt says why', async () => {
    await world.control('POST', `/customers/${CUSTOMER}`, {
      lastInboundAt: new Date(Date.now() - 30 * 3600_000).toISOString(),
    });
    const { providerMessageIds } = await world
      .adapter()
      .send({ chatId: CUSTOMER, text: 'Are you still there?', attachments: [] });
    const failed = await waitFor('failed receipt', () =>
      receiptsFor(world, providerMessageIds[0]!).find((r) => r.status === 'failed'),
    );
    assert.equal(
      failed.reason,
      "outside WhatsApp's 24-hour window: the customer must write first, or use a template (131047)",
    );
  });

  it('throws a retryable error with a delay on 130429, and the retry succeeds', async () => {
    await world.control('POST', '/faults', { kind: 'rate_limit', count: 1, scope: 'messages' });
    const adapter = world.adapter();
    await assert.rejects(adapter.send({ chatId: CUSTOMER, text: 'busy?', attachments: [] }), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.equal(e.retryable, true);
      assert.equal(e.options.code, 130429);
      assert.ok((e.options.retryAfterSeconds ?? 0) > 0);
      return true;
    });
    assert.equal(
      (await adapter.send({ chatId: CUSTOMER, text: 'busy?', attachments: [] })).providerMessageIds.length,
      1,
    );
  });

  it('treats a 5xx as retryable and a wrong token as final', async () => {
    await world.control('POST', '/faults', { kind: 'server_error', count: 1 });
    await assert.rejects(
      world.adapter().send({ chatId: CUSTOMER, text: 'x', attachments: [] }),
      isProviderError({ retryable: true, code: 2 }),
    );
    await assert.rejects(
      world.adapter(fetch, { accessToken: 'revoked' }).send({ chatId: CUSTOMER, text: 'x', attachments: [] }),
      isProviderError({ retryable: false, code: 190, reason: /reconnect the account/ }),
    );
  });

  it('gives up on a call WhatsApp does not answer in time, as retryable', async () => {
    await world.control('POST', '/faults', { kind: 'latency', latencyMs: 1500, count: 1, scope: 'messages' });
    const slow = world.adapter(fetch, {}, { requestTimeoutMs: 300 });
    await assert.rejects(
      slow.send({ chatId: CUSTOMER, text: 'x', attachments: [] }),
      isProviderError({ retryable: true, code: 'timeout', reason: /^WhatsApp did not answer within 0.3 s$/ }),
    );
  });

  it('refuses an empty reply and a recipient that is not a WhatsApp id', async () => {
    await assert.rejects(
      world.adapter().send({ chatId: CUSTOMER, text: '  ', attachments: [] }),
      isProviderError({ retryable: false, code: 'empty_message' }),
    );
    await assert.rejects(
      world.adapter().send({ chatId: 'jane@example.com', text: 'x', attachments: [] }),
      isProviderError({ retryable: false, code: 'bad_recipient' }),
    );
  });

  it('looks up the phone number for the connection flow', async () => {
    const found = await lookupPhoneNumber(
      { phoneNumberId: PHONE_NUMBER_ID, accessToken: SECRETS.accessToken, graphBaseUrl: world.sandboxUrl },
      { fetch },
    );
    assert.deepEqual(found, {
      id: PHONE_NUMBER_ID,
      displayPhoneNumber: '15550783881',
      verifiedName: 'Sandbox Business',
    });
    await assert.rejects(
      lookupPhoneNumber(
        { phoneNumberId: PHONE_NUMBER_ID, accessToken: 'wrong', graphBaseUrl: world.sandboxUrl },
        { fetch },
      ),
      isProviderError({ retryable: false, code: 190 }),
    );
  });

  it('marks a customer message read, which the emulator records', async () => {
    const { wamid } = await world.customer({ type: 'text', text: 'did you see this?' });
    await markMessageRead(
      { phoneNumberId: PHONE_NUMBER_ID, accessToken: SECRETS.accessToken, graphBaseUrl: world.sandboxUrl },
      { fetch },
      wamid,
    );
    const ledger = (await world.control('GET', '/ledger')).body as { received: { wamid: string; readBy?: string }[] };
    assert.ok(ledger.received.find((m) => m.wamid === wamid)?.readBy);
    await assert.rejects(
      markMessageRead(
        { phoneNumberId: PHONE_NUMBER_ID, accessToken: SECRETS.accessToken, graphBaseUrl: world.sandboxUrl },
        { fetch },
        'wamid.UNKNOWN',
      ),
      isProviderError({ retryable: false, code: 100 }),
    );
  });
});
