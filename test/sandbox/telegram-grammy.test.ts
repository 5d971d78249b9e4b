import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { Bot, GrammyError, InputFile, webhookCallback } from 'grammy';
import { specMissing } from '../helpers/spec-schemas.js';
import {
  assertCallsMatchSpec,
  startTelegramSandbox,
  waitUntil,
  type TelegramSandboxHandle,
} from '../helpers/telegram-sandbox.js';
import { TELEGRAM_SPEC } from '../helpers/telegram-schemas.js';

/**
 * grammY, a popular Bot API client, pointed at the emulator through its documented `apiRoot`
 * option and otherwise unchanged: if it works, the emulator speaks the Bot API as clients expect.
 */
const CHAT = 7113042871;
let sandbox: TelegramSandboxHandle;
let bot: Bot;

before(async () => {
  sandbox = await startTelegramSandbox();
  bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.url } });
  await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { text: '/start' });
});
after(() => sandbox.close());

describe('grammY against the Telegram emulator', () => {
  it('calls getMe and sends a message', async () => {
    const me = await bot.api.getMe();
    assert.deepEqual([me.id, me.is_bot, me.username], [sandbox.bot.id, true, 'channel_bridge_bot']);
    const sent = await bot.api.sendMessage(CHAT, 'Hello from <b>grammY</b>', {
      parse_mode: 'HTML',
      reply_parameters: { message_id: 1 },
    });
    assert.equal(sent.text, 'Hello from grammY');
    assert.equal(sent.reply_to_message?.text, '/start');
    assert.deepEqual(sandbox.state.sent.at(-1)?.message.entities, [{ type: 'bold', offset: 11, length: 6 }]);
  });

  it('uploads a photo as grammY encodes multipart', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d494844520000002000000010', 'hex');
    const sent = await bot.api.sendPhoto(CHAT, new InputFile(png, 'chart.png'), { caption: 'Your chart' });
    assert.equal(sent.caption, 'Your chart');
    assert.deepEqual([sent.photo?.at(-1)?.width, sent.photo?.at(-1)?.height], [32, 16]);
    const file = await bot.api.getFile(sent.photo!.at(-1)!.file_id);
    const bytes = Buffer.from(
      await (await fetch(`${sandbox.url}/file/bot${sandbox.token}/${file.file_path}`)).arrayBuffer(),
    );
    assert.deepEqual(bytes, png);
  });

  it("surfaces the emulator's 403 as a GrammyError with Telegram's code and description", async () => {
    await sandbox.control(`/bots/${sandbox.bot.id}/block`, {});
    try {
      await assert.rejects(
        bot.api.sendMessage(CHAT, 'anyone?'),
        (e: unknown) =>
          e instanceof GrammyError &&
          e.error_code === 403 &&
          e.description === 'Forbidden: bot was blocked by the user',
      );
    } finally {
      await sandbox.control(`/bots/${sandbox.bot.id}/unblock`, {});
    }
  });

  it("receives webhook pushes through grammY's own webhook handler, secret checked, and answers", async () => {
    const echo = new Bot(sandbox.token, { client: { apiRoot: sandbox.url } });
    echo.on('message:text', (ctx) => ctx.reply(`You said: ${ctx.message.text}`));
    const app = express();
    app.use(express.json());
    app.post('/grammy', webhookCallback(echo, 'express', { secretToken: 'grammy_secret' }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/grammy`;
      await echo.api.setWebhook(url, { secret_token: 'grammy_secret' });
      assert.equal((await echo.api.getWebhookInfo()).url, url);
      await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { text: 'ping' });
      const reply = await waitUntil(
        () => sandbox.state.sent.find((s) => s.message.text === 'You said: ping'),
        'grammY to answer',
      );
      assert.equal(reply.chatId, CHAT);
      await echo.api.deleteWebhook();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('made only calls, and got only answers, that match the Bot API spec', { skip: specMissing(TELEGRAM_SPEC) }, () => {
    assertCallsMatchSpec(sandbox.state.calls);
  });
});
