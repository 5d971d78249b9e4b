import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { specMissing } from '../helpers/spec-schemas.js';
import { assertCallsMatchSpec, startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { TELEGRAM_SPEC } from '../helpers/telegram-schemas.js';

const CHAT = 7113042871;
let sandbox: TelegramSandboxHandle;

before(async () => {
  sandbox = await startTelegramSandbox();
  // The customer writes first, as a person presses Start; only then can the bot write to them.
  assert.equal((await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { text: '/start' })).status, 201);
});
after(() => sandbox.close());

// The Bot API's JSON answers, read loosely by the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });

describe('Telegram emulator: requests the way Telegram takes them', () => {
  it('answers getMe over GET, JSON, urlencoded and multipart, with any case of method name', async () => {
    const base = `${sandbox.url}/bot${sandbox.token}`;
    const form = new FormData();
    form.set('unused', 'x');
    const answers = await Promise.all([
      fetch(`${base}/getMe`),
      fetch(`${base}/GETME`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      fetch(`${base}/getme`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      }),
      fetch(`${base}/getMe`, { method: 'POST', body: form }),
    ]);
    for (const res of answers) {
      const { status, body } = await json(res);
      assert.equal(status, 200);
      assert.equal(body.ok, true);
      assert.deepEqual(
        [body.result.id, body.result.is_bot, body.result.username],
        [1000001, true, 'channel_bridge_bot'],
      );
    }
  });

  it('refuses a bad token with 401 and an unknown method with 404, in Telegram words', async () => {
    assert.deepEqual(await json(await sandbox.api('getMe', {}, '1000001:wrong')), {
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    assert.deepEqual(await json(await sandbox.api('sendTelepathy')), {
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
  });

  it('reads numbers and JSON objects out of urlencoded fields', async () => {
    const body = new URLSearchParams({
      chat_id: String(CHAT),
      text: '42',
      reply_parameters: JSON.stringify({ message_id: 1 }),
    });
    const { status, body: answer } = await json(
      await fetch(`${sandbox.url}/bot${sandbox.token}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
    assert.equal(status, 200);
    // "42" is text, not a number: only integer parameters are coerced.
    assert.equal(answer.result.text, '42');
    assert.equal(answer.result.reply_to_message.text, '/start');
    assert.equal(sandbox.state.calls.at(-1)?.params.chat_id, CHAT);
  });

  it('turns parse_mode HTML into entities with UTF-16 offsets', async () => {
    const { body } = await json(
      await sandbox.api('sendMessage', {
        chat_id: CHAT,
        parse_mode: 'HTML',
        text: '👋 <b>Order &amp; <i>1042</i></b> <a href="https://shop.example/1042">track</a>',
      }),
    );
    assert.equal(body.result.text, '👋 Order & 1042 track');
    assert.deepEqual(body.result.entities, [
      { type: 'bold', offset: 3, length: 12 },
      { type: 'italic', offset: 11, length: 4 },
      { type: 'text_link', offset: 16, length: 5, url: 'https://shop.example/1042' },
    ]);
  });

  const refusals: [string, Record<string, unknown>, number, string][] = [
    [
      'unsupported HTML',
      { chat_id: CHAT, parse_mode: 'HTML', text: '<blink>hi</blink>' },
      400,
      'Bad Request: can\'t parse entities: Unsupported start tag "blink" at byte offset 0',
    ],
    [
      'unclosed HTML',
      { chat_id: CHAT, parse_mode: 'HTML', text: '<b>hi' },
      400,
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    ],
    ['empty text', { chat_id: CHAT, text: '  ' }, 400, 'Bad Request: message text is empty'],
    ['text over 4096 characters', { chat_id: CHAT, text: 'x'.repeat(4097) }, 400, 'Bad Request: message is too long'],
    ['an unknown chat', { chat_id: 42, text: 'hi' }, 400, 'Bad Request: chat not found'],
    [
      'a reply to a missing message',
      { chat_id: CHAT, text: 'hi', reply_parameters: { message_id: 9999 } },
      400,
      'Bad Request: message to be replied not found',
    ],
  ];
  for (const [what, params, status, description] of refusals) {
    it(`refuses sendMessage with ${what}`, async () => {
      assert.deepEqual(await json(await sandbox.api('sendMessage', params)), {
        status,
        body: { ok: false, error_code: status, description },
      });
    });
  }

  it('lets a reply to a missing message through when allow_sending_without_reply is set', async () => {
    const { status, body } = await json(
      await sandbox.api('sendMessage', {
        chat_id: CHAT,
        text: 'hi',
        reply_parameters: { message_id: 9999, allow_sending_without_reply: true },
      }),
    );
    assert.equal(status, 200);
    assert.equal(body.result.reply_to_message, undefined);
  });

  it('uploads every media kind as multipart, with caption entities and reply_parameters as a JSON string', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000280000001e00806000000', 'hex');
    const kinds: [string, string, string, string][] = [
      ['sendPhoto', 'photo', 'shot.png', 'image/png'],
      ['sendVoice', 'voice', 'note.ogg', 'audio/ogg'],
      ['sendAudio', 'audio', 'song.mp3', 'audio/mpeg'],
      ['sendVideo', 'video', 'clip.mp4', 'video/mp4'],
      ['sendVideoNote', 'video_note', 'round.mp4', 'video/mp4'],
      ['sendSticker', 'sticker', 'hi.webp', 'image/webp'],
      ['sendDocument', 'document', 'invoice.pdf', 'application/pdf'],
    ];
    for (const [method, field, name, type] of kinds) {
      const form = new FormData();
      form.set('chat_id', String(CHAT));
      form.set('reply_parameters', JSON.stringify({ message_id: 1 }));
      if (!['sendSticker', 'sendVideoNote'].includes(method)) {
        form.set('caption', '<b>Here</b> you go');
        form.set('parse_mode', 'HTML');
      }
      form.set(field, new Blob([png], { type }), name);
      const { status, body } = await json(
        await fetch(`${sandbox.url}/bot${sandbox.token}/${method}`, { method: 'POST', body: form }),
      );
      assert.equal(status, 200, `${method}: ${JSON.stringify(body)}`);
      const media = body.result[field];
      assert.ok(media, `${method} result has ${field}`);
      assert.equal(body.result.reply_to_message.message_id, 1);
      if (field === 'photo') assert.deepEqual(media.at(-1).width, 640);
      const fileId = field === 'photo' ? media.at(-1).file_id : media.file_id;
      const file = await json(await sandbox.api('getFile', { file_id: fileId }));
      const bytes = Buffer.from(
        await (await fetch(`${sandbox.url}/file/bot${sandbox.token}/${file.body.result.file_path}`)).arrayBuffer(),
      );
      assert.deepEqual(bytes, png, `${method} round-trips the bytes`);
    }
    const sent = sandbox.state.sent.slice(-7);
    assert.deepEqual(
      sent.map((s) => s.method),
      kinds.map(([m]) => m),
    );
    assert.equal(sent[0]?.message.caption, 'Here you go');
    assert.deepEqual(sent[0]?.message.caption_entities, [{ type: 'bold', offset: 0, length: 4 }]);
  });

  it('resends a file by file_id and refuses one it never issued', async () => {
    const photo = sandbox.state.sent.find((s) => s.method === 'sendPhoto')!.message.photo!.at(-1)!;
    assert.equal((await sandbox.api('sendPhoto', { chat_id: CHAT, photo: photo.file_id })).status, 200);
    assert.deepEqual(
      (await json(await sandbox.api('sendPhoto', { chat_id: CHAT, photo: 'AgACnope' }))).body.description,
      'Bad Request: wrong file identifier/HTTP URL specified',
    );
    assert.deepEqual(
      (await json(await sandbox.api('sendPhoto', { chat_id: CHAT }))).body.description,
      'Bad Request: there is no photo in the request',
    );
  });

  it('enforces Telegram size limits: 10 MB photos (400), 20 MB downloads (400), 50 MB uploads (413)', async () => {
    const upload = async (method: string, field: string, bytes: number) => {
      const form = new FormData();
      form.set('chat_id', String(CHAT));
      form.set(field, new Blob([Buffer.alloc(bytes, 1)]), 'big.bin');
      return json(await fetch(`${sandbox.url}/bot${sandbox.token}/${method}`, { method: 'POST', body: form }));
    };
    const MB = 1024 * 1024;
    assert.deepEqual((await upload('sendPhoto', 'photo', 10 * MB + 1)).body, {
      ok: false,
      error_code: 400,
      description: 'Bad Request: file is too big',
    });
    const big = await upload('sendDocument', 'document', 21 * MB);
    assert.equal(big.status, 200);
    assert.deepEqual((await json(await sandbox.api('getFile', { file_id: big.body.result.document.file_id }))).body, {
      ok: false,
      error_code: 400,
      description: 'Bad Request: file is too big',
    });
    assert.deepEqual(await upload('sendDocument', 'document', 50 * MB + 1), {
      status: 413,
      body: { ok: false, error_code: 413, description: 'Request Entity Too Large' },
    });
  });

  it('answers getUpdates with queued updates, confirmed by offset, and with 409 while a webhook is set', async () => {
    const queued = (await json(await sandbox.api('getUpdates'))).body.result as {
      update_id: number;
      message: { text: string };
    }[];
    assert.deepEqual(
      queued.map((u) => u.message.text),
      ['/start'],
    );
    // An offset past an update confirms it, as with Telegram.
    assert.deepEqual(
      (await json(await sandbox.api('getUpdates', { offset: queued[0]!.update_id + 1 }))).body.result,
      [],
    );
    assert.equal(sandbox.state.updates[0]?.state, 'delivered');
    await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { text: 'still here' });
    assert.equal((await sandbox.api('deleteWebhook', { drop_pending_updates: true })).status, 200);
    assert.equal(sandbox.state.updates.at(-1)?.state, 'dropped');

    await sandbox.api('setWebhook', { url: 'http://127.0.0.1:1/nowhere' });
    const conflict = await json(await sandbox.api('getUpdates'));
    assert.equal(conflict.status, 409);
    assert.match(conflict.body.description, /^Conflict: can't use getUpdates method while webhook is active/);
    assert.equal((await sandbox.api('deleteWebhook')).status, 200);
  });

  it(
    'took every request and gave every answer above as the Bot API spec defines them',
    { skip: specMissing(TELEGRAM_SPEC) },
    () => {
      assertCallsMatchSpec(sandbox.state.calls);
    },
  );
});
