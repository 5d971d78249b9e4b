import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { MediaKind } from '../../packages/bridge/src/domain/messages.js';
import { createTelegramAdapter } from '../../packages/bridge/src/providers/telegram/index.js';
import { ProviderError, type OutboundAttachment } from '../../packages/bridge/src/providers/types.js';
import { specMissing } from '../helpers/spec-schemas.js';
import { assertCallsMatchSpec, startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { TELEGRAM_SPEC } from '../helpers/telegram-schemas.js';
import { gif, oggOpus, oggVorbis } from '../helpers/outbound-world.js';

const CHAT = '7113042871';
const MB = 1024 * 1024;
let sandbox: TelegramSandboxHandle;
let adapter: ReturnType<typeof createTelegramAdapter>;

const file = (kind: MediaKind, filename: string, contentType: string, size = 64): OutboundAttachment => ({
  kind,
  filename,
  contentType,
  data: Buffer.alloc(size, 7),
});
const sentSince = (seq: number) => sandbox.state.sent.filter((s) => s.seq > seq);
const lastSeq = () => sandbox.state.sent.at(-1)?.seq ?? 0;
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
  await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { text: 'Hi, where is my order?' });
});
after(() => sandbox.close());

describe('Telegram adapter sends through the emulator', () => {
  it('sends HTML text and returns chat-scoped message ids', async () => {
    const seq = lastSeq();
    const result = await adapter.send({
      chatId: CHAT,
      text: 'Your order <b>1042</b> ships &amp; arrives Friday',
      attachments: [],
    });
    const [sent] = sentSince(seq);
    assert.deepEqual(result, { providerMessageIds: [`${CHAT}:${sent!.message.message_id}`] });
    assert.equal(sent!.message.text, 'Your order 1042 ships & arrives Friday');
    assert.deepEqual(sent!.message.entities, [{ type: 'bold', offset: 11, length: 4 }]);
    assert.equal(sandbox.state.calls.at(-1)?.params.parse_mode, 'HTML');
  });

  it('replies to the customer message with reply_parameters', async () => {
    const seq = lastSeq();
    await adapter.send({
      chatId: CHAT,
      text: 'Looking into it',
      attachments: [],
      replyToProviderMessageId: `${CHAT}:1`,
    });
    assert.equal(sentSince(seq)[0]?.message.reply_to_message?.text, 'Hi, where is my order?');
  });

  it('splits text over 4096 characters into several valid HTML messages, in order', async () => {
    const seq = lastSeq();
    const paragraph = `<b>${'word '.repeat(500)}</b>\n`;
    const result = await adapter.send({
      chatId: CHAT,
      text: paragraph.repeat(4),
      attachments: [],
      replyToProviderMessageId: `${CHAT}:1`,
    });
    const sent = sentSince(seq);
    assert.equal(result.providerMessageIds.length, sent.length);
    assert.ok(sent.length >= 3, `expected at least 3 parts, got ${sent.length}`);
    assert.ok(sent.every((s) => s.message.text!.length <= 4096));
    // Every part stays bold: tags cut by a split are closed and reopened.
    assert.ok(sent.every((s) => s.message.entities?.every((e) => e.type === 'bold')));
    assert.equal(
      sent
        .map((s) => s.message.text)
        .join(' ')
        .split(/\s+/)
        .filter(Boolean).length,
      2000,
    );
    assert.ok(sent[0]!.message.reply_to_message, 'only the first part is a reply');
    assert.ok(sent.slice(1).every((s) => !s.message.reply_to_message));
  });

  it('uploads every kind with the matching method, one file per send, the text as its caption', async () => {
    const seq = lastSeq();
    const attachments = [
      file('image', 'photo.jpg', 'image/jpeg'),
      file('voice', 'voice.ogg', 'audio/ogg'),
      file('audio', 'song.mp3', 'audio/mpeg'),
      file('video', 'clip.mp4', 'video/mp4'),
      file('sticker', 'cat.webp', 'image/webp'),
      file('file', 'invoice.pdf', 'application/pdf'),
    ];
    // As the core sends a reply: one part per call, the text on the first file, the reply link on the first part.
    const results = [];
    for (const [index, attachment] of attachments.entries())
      results.push(
        await adapter.send({
          chatId: CHAT,
          ...(index === 0 ? { text: 'Here is <i>everything</i>', replyToProviderMessageId: `${CHAT}:1` } : {}),
          attachments: [attachment],
        }),
      );
    const sent = sentSince(seq);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['sendPhoto', 'sendVoice', 'sendAudio', 'sendVideo', 'sendSticker', 'sendDocument'],
    );
    assert.deepEqual(
      results.map((r) => r.providerMessageIds.length),
      [1, 1, 1, 1, 1, 1],
    );
    assert.equal(sent[0]?.message.caption, 'Here is everything');
    assert.deepEqual(
      sent.slice(1).map((s) => s.message.caption),
      [undefined, undefined, undefined, undefined, undefined],
    );
    assert.deepEqual(sent[0]?.message.caption_entities, [{ type: 'italic', offset: 8, length: 10 }]);
    assert.equal(sent[0]?.message.reply_to_message?.message_id, 1);
    assert.equal(sent[5]?.message.document?.file_name, 'invoice.pdf');
    assert.equal(sent[1]?.message.voice?.mime_type, 'audio/ogg');
  });

  it('refuses, as a programming error and before sending, several files or a caption the file cannot carry', async () => {
    const calls = sandbox.state.calls.length;
    // The core sends one part at a time and plans captions with the module's reply rules
    // (src/activities/reply-plan.ts).
    await assert.rejects(
      adapter.send({
        chatId: CHAT,
        text: 'for you',
        attachments: [file('sticker', 's.webp', 'image/webp'), file('image', 'p.jpg', 'image/jpeg')],
      }),
      (error: Error) =>
        !(error instanceof ProviderError) &&
        /^the Telegram adapter sends one part at a time \(a text, or one file with its caption\); got 2 files$/.test(
          error.message,
        ),
    );
    for (const [text, attachment] of [
      ['x'.repeat(1025), file('image', 'p.jpg', 'image/jpeg')],
      ['a sticker for you', file('sticker', 's.webp', 'image/webp')],
    ] as const)
      await assert.rejects(
        adapter.send({ chatId: CHAT, text, attachments: [attachment] }),
        (error: Error) =>
          !(error instanceof ProviderError) &&
          error.message.startsWith(`the Telegram adapter got a caption ${attachment.filename} cannot carry`),
      );
    assert.equal(sandbox.state.calls.length, calls, 'no call reached Telegram');
  });

  it('sends a sticker Telegram cannot take as a sticker (PNG) as a photo', async () => {
    const seq = lastSeq();
    await adapter.send({ chatId: CHAT, attachments: [file('sticker', 'smile.png', 'image/png')] });
    assert.deepEqual(
      sentSince(seq).map((s) => s.method),
      ['sendPhoto'],
    );
  });

  it('retries after retry_after on 429, then succeeds', async () => {
    await sandbox.control('/faults', { type: 'rate_limit', method: 'sendMessage', retry_after: 7, times: 1 });
    const error = await rejection(adapter.send({ chatId: CHAT, text: 'hello', attachments: [] }));
    assert.equal(error.retryable, true);
    assert.equal(error.options.retryAfterSeconds, 7);
    assert.equal(error.options.code, 429);
    assert.match(error.reason, /rate limiting.*Too Many Requests: retry after 7/);
    const ok = await adapter.send({ chatId: CHAT, text: 'hello', attachments: [] });
    assert.equal(ok.providerMessageIds.length, 1);
  });

  it('fails for good, with a reason a rep can read, when the customer blocked the bot', async () => {
    await sandbox.control(`/bots/${sandbox.bot.id}/block`, {});
    try {
      const error = await rejection(adapter.send({ chatId: CHAT, text: 'hello?', attachments: [] }));
      assert.deepEqual(
        [error.reason, error.retryable, error.options.code],
        ['the customer blocked the bot', false, 403],
      );
    } finally {
      await sandbox.control(`/bots/${sandbox.bot.id}/unblock`, {});
    }
  });

  it('retries on 5xx and on a network failure', async () => {
    await sandbox.control('/faults', { type: 'server_error', status: 502, times: 1 });
    const server = await rejection(adapter.send({ chatId: CHAT, text: 'hi', attachments: [] }));
    assert.deepEqual([server.retryable, server.reason], [true, 'Telegram failed (sendMessage): Bad Gateway']);
    const offline = createTelegramAdapter(
      { accountId: asAccountId('a'), botToken: sandbox.token, secretToken: 's', apiBaseUrl: 'http://127.0.0.1:1' },
      { fetch },
    );
    const network = await rejection(offline.send({ chatId: CHAT, text: 'hi', attachments: [] }));
    assert.equal(network.retryable, true);
    assert.match(network.reason, /^Telegram could not be reached \(sendMessage\)/);
    assert.ok(!network.reason.includes(sandbox.token), 'the token never appears in a reason');
  });

  it("fails for good with Telegram's description on other 4xx, and on a bad token", async () => {
    const unknownChat = await rejection(adapter.send({ chatId: '42', text: 'hi', attachments: [] }));
    assert.deepEqual(
      [unknownChat.retryable, unknownChat.reason],
      [false, 'Telegram refused sendMessage: Bad Request: chat not found'],
    );
    const badHtml = await rejection(adapter.send({ chatId: CHAT, text: '<blink>hi</blink>', attachments: [] }));
    assert.match(badHtml.reason, /can't parse entities/);
    const wrongToken = createTelegramAdapter(
      { accountId: asAccountId('a'), botToken: '1000001:nope', secretToken: 's', apiBaseUrl: sandbox.url },
      { fetch },
    );
    const unauthorized = await rejection(wrongToken.send({ chatId: CHAT, text: 'hi', attachments: [] }));
    assert.deepEqual(
      [unauthorized.retryable, unauthorized.reason],
      [false, 'Telegram rejected the bot token (Unauthorized)'],
    );
  });

  it('refuses files over Telegram limits before uploading anything', async () => {
    const calls = sandbox.state.calls.length;
    const photo = await rejection(
      adapter.send({ chatId: CHAT, text: 'big', attachments: [file('image', 'huge.jpg', 'image/jpeg', 10 * MB + 1)] }),
    );
    assert.deepEqual(
      [photo.retryable, photo.reason],
      [false, 'file too large for Telegram: huge.jpg is 10.1 MB, and Telegram accepts photos up to 10 MB'],
    );
    const video = await rejection(
      adapter.send({ chatId: CHAT, attachments: [file('video', 'long.mp4', 'video/mp4', 50 * MB + 1)] }),
    );
    assert.match(
      video.reason,
      /^file too large for Telegram: long.mp4 is 50.1 MB, and Telegram accepts files up to 50 MB$/,
    );
    assert.equal(sandbox.state.calls.length, calls, 'no call reached Telegram');
  });

  it('refuses an empty reply and an empty file', async () => {
    assert.equal(
      (await rejection(adapter.send({ chatId: CHAT, text: '  ', attachments: [] }))).reason,
      'the reply has no text and no attachment',
    );
    assert.equal(
      (await rejection(adapter.send({ chatId: CHAT, attachments: [file('file', 'empty.txt', 'text/plain', 0)] })))
        .reason,
      'empty.txt is empty; Telegram does not accept empty files',
    );
  });

  it("keeps a caption's line breaks as they are (the FormData serializer would have made them CRLF)", async () => {
    const seq = lastSeq();
    await adapter.send({
      chatId: CHAT,
      text: 'line one\n\nline <b>two</b>',
      attachments: [file('file', 'a.pdf', 'application/pdf')],
    });
    assert.equal(sentSince(seq)[0]?.message.caption, 'line one\n\nline two');
  });

  it('sends a GIF as an animation (sendAnimation), not a still photo, with the text as its caption', async () => {
    const seq = lastSeq();
    const animation: OutboundAttachment = {
      kind: 'image',
      filename: 'dance.gif',
      contentType: 'image/gif',
      data: gif(),
    };
    await adapter.send({ chatId: CHAT, text: 'ta-da', attachments: [animation] });
    const [sent] = sentSince(seq);
    assert.equal(sent?.method, 'sendAnimation');
    assert.equal(sent?.message.caption, 'ta-da');
    assert.ok((sent?.message as { animation?: unknown }).animation, 'the message is an animation');
  });

  it('sends an Ogg/Opus recording as a voice note whatever kind it came as, and Ogg Vorbis music as a document', async () => {
    const seq = lastSeq();
    const opus: OutboundAttachment = { kind: 'audio', filename: 'note.ogg', contentType: 'audio/ogg', data: oggOpus() };
    const vorbis: OutboundAttachment = {
      kind: 'voice',
      filename: 'song.ogg',
      contentType: 'audio/ogg',
      data: oggVorbis(),
    };
    await adapter.send({ chatId: CHAT, attachments: [opus] });
    await adapter.send({ chatId: CHAT, attachments: [vorbis] });
    // sendVoice takes "OGG encoded with OPUS, MP3 or M4A"; sendAudio only MP3 or M4A; the rest goes as a document.
    assert.deepEqual(
      sentSince(seq).map((s) => s.method),
      ['sendVoice', 'sendDocument'],
    );
  });

  it('replies into a forum topic with message_thread_id, text and files alike', async () => {
    const ana = { id: 5100000001, first_name: 'Ana' };
    await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { from: ana, text: '/start' });
    const { chat } = (await (
      await sandbox.control(`/bots/${sandbox.bot.id}/groups`, {
        title: 'Help forum',
        is_forum: true,
        member_ids: [ana.id],
      })
    ).json()) as { chat: { id: number } };
    const { message_thread_id: thread } = (await (
      await sandbox.control(`/bots/${sandbox.bot.id}/groups/${chat.id}/topics`, { name: 'Returns', user_id: ana.id })
    ).json()) as { message_thread_id: number };
    const asked = (await (
      await sandbox.control(`/bots/${sandbox.bot.id}/groups/${chat.id}/messages`, {
        from: { id: ana.id },
        text: 'Jacket return?',
        message_thread_id: thread,
      })
    ).json()) as { update: { message: { message_id: number } } };
    const seq = lastSeq();
    const result = await adapter.send({
      chatId: `${chat.id}:topic:${thread}`,
      text: 'Send it back within 30 days',
      attachments: [file('file', 'label.pdf', 'application/pdf')],
      replyToProviderMessageId: `${chat.id}:${asked.update.message.message_id}`,
    });
    const sent = sentSince(seq);
    assert.deepEqual(
      sent.map((s) => [s.method, s.chatId, s.message.message_thread_id, s.message.is_topic_message]),
      [['sendDocument', chat.id, thread, true]],
    );
    assert.equal(sent[0]?.message.reply_to_message?.text, 'Jacket return?');
    // A supergroup numbers all its topics' messages together: the id is scoped by the chat id, as inbound scopes it.
    assert.deepEqual(result, { providerMessageIds: [`${chat.id}:${sent[0]!.message.message_id}`] });
  });

  it('replies in a Business chat on behalf of the business, through its connection', async () => {
    const owner = { id: 5100000009, first_name: 'Lena' };
    const ben = { id: 5100000002, first_name: 'Ben' };
    const { connection } = (await (
      await sandbox.control(`/bots/${sandbox.bot.id}/business-connections`, { from: owner })
    ).json()) as { connection: { id: string } };
    const asked = (await (
      await sandbox.control(`/bots/${sandbox.bot.id}/business-connections/${connection.id}/messages`, {
        from: ben,
        text: 'Gluten-free bread today?',
      })
    ).json()) as { update: { business_message: { message_id: number } } };
    const ref = `business:${connection.id}:${ben.id}`;
    const seq = lastSeq();
    const result = await adapter.send({
      chatId: ref,
      text: 'Yes, until <b>6pm</b>',
      attachments: [],
      replyToProviderMessageId: `${ref}:${asked.update.business_message.message_id}`,
    });
    const [sent] = sentSince(seq);
    assert.equal(sent?.chatId, ben.id);
    assert.equal(sent?.message.business_connection_id, connection.id);
    assert.equal(sent?.message.from?.id, owner.id, 'sent as the business, not the bot');
    assert.equal(sent?.message.reply_to_message?.text, 'Gluten-free bread today?');
    assert.equal(sent?.message.text, 'Yes, until 6pm');
    // A Business chat numbers its messages apart from the customer's chat with the bot: its ids carry the whole ref.
    assert.deepEqual(result, { providerMessageIds: [`${ref}:${sent!.message.message_id}`] });
  });

  it("sends a plain chat's reply with chat_id alone, as before", async () => {
    const seq = lastSeq();
    await adapter.send({ chatId: CHAT, text: 'plain', attachments: [file('file', 'a.pdf', 'application/pdf')] });
    const calls = sandbox.state.calls.slice(-1);
    assert.deepEqual(
      sentSince(seq).map((s) => [s.chatId, s.message.message_thread_id, s.message.business_connection_id]),
      [[Number(CHAT), undefined, undefined]],
    );
    assert.equal(calls[0]?.params.message_thread_id, undefined);
    assert.equal(calls[0]?.params.business_connection_id, undefined);
  });

  it(
    'made every request above, and got every answer, as the Bot API spec defines them',
    { skip: specMissing(TELEGRAM_SPEC) },
    () => {
      assertCallsMatchSpec(sandbox.state.calls);
    },
  );
});
