import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMedia, InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import { createTelegramAdapter } from '../../packages/bridge/src/providers/telegram/index.js';
import { ProviderError, type MediaBlob } from '../../packages/bridge/src/providers/types.js';
import { specMissing } from '../helpers/spec-schemas.js';
import { assertCallsMatchSpec, startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { TELEGRAM_SPEC } from '../helpers/telegram-schemas.js';

const MB = 1024 * 1024;
let sandbox: TelegramSandboxHandle;
let adapter: ReturnType<typeof createTelegramAdapter>;

/** The customer sends something; the adapter normalises the Update exactly as the bridge would receive it. */
async function customerSends(body: Record<string, unknown>): Promise<InboundMessage> {
  const res = await sandbox.control(`/bots/${sandbox.bot.id}/messages`, body);
  assert.equal(res.status, 201);
  const { update } = (await res.json()) as { update: unknown };
  const [event] = adapter.normalise({ headers: {}, body: Buffer.from(JSON.stringify(update)) });
  assert.equal(event?.kind, 'message');
  return (event as { message: InboundMessage }).message;
}

async function readAll(blob: MediaBlob): Promise<Buffer> {
  return Buffer.from(await new Response(blob.body).arrayBuffer());
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
  return error;
}

before(async () => {
  sandbox = await startTelegramSandbox();
  adapter = createTelegramAdapter(
    { accountId: asAccountId('acct-1'), botToken: sandbox.token, secretToken: 's', apiBaseUrl: sandbox.url },
    { fetch },
  );
});
after(() => sandbox.close());

describe('Telegram adapter fetches inbound media', () => {
  it('downloads a voice note through getFile and the file path, streamed, keeping the message metadata', async () => {
    const ogg = Buffer.from('OggS voice note bytes');
    const message = await customerSends({
      file: { as: 'voice', data_base64: ogg.toString('base64'), mime_type: 'audio/ogg', duration: 2 },
    });
    const blob = await adapter.fetchMedia(message.media[0]!);
    assert.ok(blob.body instanceof ReadableStream);
    assert.deepEqual([blob.contentType, blob.filename, blob.sizeBytes], ['audio/ogg', 'voice.ogg', ogg.length]);
    assert.deepEqual(await readAll(blob), ogg);
    assert.deepEqual(
      sandbox.state.calls.slice(-1).map((c) => c.method),
      ['getFile'],
    );
  });

  it('downloads the largest size of a photo', async () => {
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a0000000d49484452000004000000030008060000', 'hex'),
      Buffer.alloc(100, 1),
    ]);
    const message = await customerSends({
      file: { as: 'photo', data_base64: png.toString('base64'), mime_type: 'image/png' },
    });
    assert.equal(message.media.length, 1);
    assert.deepEqual(await readAll(await adapter.fetchMedia(message.media[0]!)), png);
  });

  it('serves a data: ref without calling Telegram (messages normalised before locations had their own field)', async () => {
    const calls = sandbox.state.calls.length;
    const vcard = 'BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=CELL:+441234567890\r\nEND:VCARD\r\n';
    const blob = await adapter.fetchMedia({
      kind: 'file',
      contentType: 'text/vcard',
      filename: 'contact.vcf',
      ref: `data:text/vcard;base64,${Buffer.from(vcard).toString('base64')}`,
    });
    assert.deepEqual([blob.contentType, blob.filename, blob.sizeBytes], ['text/vcard', 'contact.vcf', vcard.length]);
    assert.equal((await readAll(blob)).toString('utf8'), vcard);
    const plain = await adapter.fetchMedia({
      kind: 'file',
      ref: 'data:application/geo+json,%7B%22type%22%3A%22Point%22%7D',
    });
    assert.deepEqual(JSON.parse((await readAll(plain)).toString('utf8')), { type: 'Point' });
    assert.equal(sandbox.state.calls.length, calls);
  });

  it('refuses a file over the 20 MB bot download limit, non-retryably, known size or not', async () => {
    const message = await customerSends({
      file: {
        as: 'document',
        data_base64: Buffer.alloc(21 * MB, 3).toString('base64'),
        file_name: 'scan.pdf',
        mime_type: 'application/pdf',
      },
    });
    const known = await rejection(adapter.fetchMedia(message.media[0]!));
    assert.deepEqual(
      [known.retryable, known.reason],
      [false, 'scan.pdf is too large to download from Telegram (21 MB, over the 20 MB limit for bots)'],
    );
    // Without the size in the message, getFile's own 400 "file is too big" says the same.
    const unsized: InboundMedia = { ...message.media[0]!, sizeBytes: undefined };
    const fromTelegram = await rejection(adapter.fetchMedia(unsized));
    assert.deepEqual(
      [fromTelegram.retryable, fromTelegram.reason],
      [false, 'scan.pdf is too large to download from Telegram (over the 20 MB limit for bots)'],
    );
  });

  it('stops a download that streams past 20 MB even when no size was announced', async () => {
    const chunk = new Uint8Array(MB);
    const lying: typeof fetch = async (input) => {
      if (String(input).endsWith('/getFile'))
        return Response.json({
          ok: true,
          result: { file_id: 'f', file_unique_id: 'u', file_path: 'documents/file_9.bin' },
        });
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({ pull: (c) => (sent++ < 25 ? c.enqueue(chunk) : c.close()) });
      return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
    };
    const streaming = createTelegramAdapter(
      { accountId: asAccountId('a'), botToken: '1:x', secretToken: 's', apiBaseUrl: 'http://telegram.invalid' },
      { fetch: lying },
    );
    const blob = await streaming.fetchMedia({ kind: 'file', ref: 'f', filename: 'big.bin' });
    const error = await rejection(readAll(blob));
    assert.deepEqual(
      [error.retryable, error.reason],
      [false, 'big.bin is too large to download from Telegram (over the 20 MB limit for bots)'],
    );
  });

  it('fails non-retryably on a file_id Telegram does not know, and retryably when Telegram is down', async () => {
    const unknown = await rejection(adapter.fetchMedia({ kind: 'image', ref: 'AgACAgQAAxkBnope' }));
    assert.deepEqual(
      [unknown.retryable, unknown.reason],
      [false, 'Telegram refused getFile: Bad Request: invalid file_id'],
    );
    await sandbox.control('/faults', { type: 'server_error', method: 'getFile', times: 1 });
    const down = await rejection(adapter.fetchMedia({ kind: 'image', ref: 'AgACAgQAAxkBnope' }));
    assert.equal(down.retryable, true);
  });

  it(
    'made every Bot API call above, and got every answer, as the spec defines them',
    { skip: specMissing(TELEGRAM_SPEC) },
    () => {
      assertCallsMatchSpec(sandbox.state.calls);
    },
  );
});
