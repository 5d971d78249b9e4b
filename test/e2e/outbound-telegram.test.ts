import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ACCOUNT_CACHE_TTL_MS } from '../../packages/bridge/src/store/account-cache.js';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { StatusKey } from '../../packages/bridge/src/domain/search-attributes.js';
import { accountStateChanged } from '../../packages/bridge/src/domain/signals.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import {
  gif,
  oggOpus,
  openThread,
  replyAsRep,
  uploadRepFile,
  waitForStatus,
  statusUpdates,
} from '../helpers/outbound-world.js';
import { startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { waitFor } from '../helpers/temporal.js';
import { png, SAMPLES } from '../helpers/whatsapp-media.js';

interface Sent {
  readonly chatId: number;
  readonly method: string;
  readonly message: {
    text?: string;
    caption?: string;
    entities?: { type: string }[];
    caption_entities?: { type: string }[];
    document?: { file_name?: string };
    animation?: unknown;
    reply_to_message?: { message_id: number };
  };
}

/**
 * A rep's reply in the HubSpot sandbox → bridge (api, Temporal, worker) → Telegram emulator, and the status back in
 * HubSpot.
 */
describe('outbound: HubSpot rep → Telegram', () => {
  let bridge: TestBridge;
  let tg: TelegramSandboxHandle;
  let account: AccountWithCredentials;
  let nextCustomer = 5100;

  before(async () => {
    tg = await startTelegramSandbox();
    bridge = await startTestBridge({
      outbound: { providerEndpoints: { settings: { telegram: { apiBaseUrl: tg.url } } } },
    });
    account = await connectAccount(bridge, 'telegram', { botToken: tg.token, secretToken: 'outbound-test-secret' });
  });
  after(async () => {
    await bridge?.stop();
    await tg?.close();
  });

  /** A customer who wrote to the bot, and their HubSpot thread. */
  async function customer(): Promise<{ chatId: number; threadId: string }> {
    const chatId = (nextCustomer += 1);
    const res = await tg.control(`/bots/${tg.bot.id}/messages`, {
      from: { id: chatId, first_name: 'Jane' },
      text: 'Hello',
    });
    assert.equal(res.status, 201);
    const threadId = await openThread(bridge, account, String(chatId), {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: String(chatId),
    });
    return { chatId, threadId };
  }
  const sentTo = async (chatId: number): Promise<Sent[]> =>
    (await (await tg.control(`/bots/${tg.bot.id}/sent?chat_id=${chatId}`)).json()) as Sent[];

  it('delivers text with formatting and every attachment kind, then shows SENT in HubSpot', async () => {
    const { chatId, threadId } = await customer();
    const files = [
      await uploadRepFile(bridge, 'photo.png', 'image/png', png(16, 16, [255, 0, 0], [0, 0, 255])),
      await uploadRepFile(bridge, 'label.pdf', 'application/pdf', SAMPLES.pdf()),
      await uploadRepFile(bridge, 'song.mp3', 'audio/mpeg', SAMPLES.mp3()),
      await uploadRepFile(bridge, 'note.ogg', 'audio/ogg', SAMPLES.ogg()),
      await uploadRepFile(bridge, 'clip.mp4', 'video/mp4', SAMPLES.mp4()),
    ];
    const messageId = await replyAsRep(bridge, threadId, {
      richText:
        '<p>Hello <strong>Jane</strong>, here is <em>your</em> <a href="https://example.com/order">order</a> &amp; files:</p><script>alert(1)</script><ul><li>label</li></ul>',
      fileIds: files,
    });
    const updates = await waitForStatus(bridge, messageId, 'SENT', 60_000);
    assert.deepEqual(updates, [{ statusType: 'SENT' }]);

    const sent = await sentTo(chatId);
    // The text fits a caption (1024), so it rides on the photo instead of going as a message of its own.
    assert.deepEqual(
      sent.map((s) => s.method),
      ['sendPhoto', 'sendDocument', 'sendAudio', 'sendVoice', 'sendVideo'],
    );
    const captioned = sent[0]!.message;
    assert.equal(captioned.caption, 'Hello Jane, here is your order & files:\n\n• label');
    assert.deepEqual(captioned.caption_entities?.map((e) => e.type).sort(), ['bold', 'italic', 'text_link']);
    assert.equal(sent[1]!.message.document?.file_name, 'label.pdf');
  });

  it('plans the reply as a whole: a last file Telegram refuses fails it at once, naming the file, and nothing is sent', async () => {
    const { chatId, threadId } = await customer();
    const files = [
      await uploadRepFile(bridge, 'label.pdf', 'application/pdf', SAMPLES.pdf()),
      await uploadRepFile(
        bridge,
        'huge.jpg',
        'image/jpeg',
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(10 * 1024 * 1024)]),
      ),
    ];
    const messageId = await replyAsRep(bridge, threadId, { text: 'Your label and notes', fileIds: files });
    const updates = await waitForStatus(bridge, messageId, 'FAILED', 60_000);
    assert.deepEqual(updates, [
      {
        statusType: 'FAILED',
        errorMessage:
          'nothing was sent: file too large for Telegram: huge.jpg is 10.1 MB, and Telegram accepts photos up to 10 MB',
      },
    ]);
    assert.deepEqual(await sentTo(chatId), [], 'neither the text nor the first file went');
  });

  it('sends a GIF as an animation and an Ogg/Opus note as a voice note, whatever HubSpot labelled it', async () => {
    const { chatId, threadId } = await customer();
    const files = [
      await uploadRepFile(bridge, 'dance.gif', 'image/gif', gif()),
      await uploadRepFile(bridge, 'reply.ogg', 'video/ogg', oggOpus()),
    ];
    const messageId = await replyAsRep(bridge, threadId, { text: 'Look!', fileIds: files });
    await waitForStatus(bridge, messageId, 'SENT', 60_000);
    const sent = await sentTo(chatId);
    assert.deepEqual(
      sent.map((s) => [s.method, s.message.caption]),
      [
        ['sendAnimation', 'Look!'],
        ['sendVoice', undefined],
      ],
    );
  });

  it('gives FAILED with "the customer blocked the bot" when the customer blocked it', async () => {
    const { chatId, threadId } = await customer();
    assert.equal((await tg.control(`/bots/${tg.bot.id}/block`, { user_id: chatId })).status, 200);
    const messageId = await replyAsRep(bridge, threadId, { text: 'Are you there?' });
    const updates = await waitForStatus(bridge, messageId, 'FAILED', 60_000);
    assert.deepEqual(updates, [{ statusType: 'FAILED', errorMessage: 'the customer blocked the bot' }]);
    assert.deepEqual(await sentTo(chatId), []);
  });

  it('waits out a 429 with retry_after and then delivers once, SENT', async () => {
    const { chatId, threadId } = await customer();
    const fault = await tg.control('/faults', {
      type: 'rate_limit',
      method: 'sendMessage',
      retry_after: 1,
      times: 2,
      bot_id: tg.bot.id,
    });
    assert.equal(fault.status, 201);
    const messageId = await replyAsRep(bridge, threadId, { text: 'Thanks for waiting' });
    assert.deepEqual(await waitForStatus(bridge, messageId, 'SENT', 60_000), [{ statusType: 'SENT' }]);
    const sent = await sentTo(chatId);
    assert.deepEqual(
      sent.map((s) => s.message.text),
      ['Thanks for waiting'],
      'delivered exactly once',
    );
    const calls = (await (await tg.control('/calls')).json()) as {
      method: string;
      status: number;
      params: { text?: string };
    }[];
    const attempts = calls
      .filter((c) => c.method === 'sendMessage' && c.params.text === 'Thanks for waiting')
      .map((c) => c.status);
    assert.deepEqual(attempts, [429, 429, 200]);
  });

  it('holds a reply while the account is off (BridgeStatus=HELD) and delivers it once accountStateChanged turns it on', async () => {
    const { chatId, threadId } = await customer();
    await bridge.store.upsertAccount({ ...account, authorized: false });
    // Turned off by another process, as HubSpot's webhook would: the worker sees it once its account cache expires.
    await delay(ACCOUNT_CACHE_TTL_MS);
    let handle: WorkflowHandle | undefined;
    let messageId: string;
    try {
      messageId = await replyAsRep(bridge, threadId, { text: 'Held for a moment' });
      handle = bridge.client.workflow.getHandle(`outbound:${messageId}`);
      // HubSpot's webhook reaches the bridge a moment after the reply: until then there is no workflow.
      const heldStatus = () =>
        handle!.describe().then(
          (d) => d.typedSearchAttributes.get(StatusKey),
          (e: unknown) => (e instanceof WorkflowNotFoundError ? undefined : Promise.reject(e)),
        );
      await waitFor(async () => ((await heldStatus()) === 'HELD' ? true : undefined), 30_000, 'HELD');
      assert.deepEqual(await sentTo(chatId), []);
    } finally {
      await bridge.store.upsertAccount({ ...account, authorized: true });
    }
    await handle!.signal(accountStateChanged, { authorized: true, removed: false });
    assert.deepEqual(await waitForStatus(bridge, messageId, 'SENT', 60_000), [{ statusType: 'SENT' }]);
    assert.deepEqual(
      (await sentTo(chatId)).map((s) => s.message.text),
      ['Held for a moment'],
    );
  });

  it('delivers three quick replies to one chat in the order the rep sent them', async () => {
    const { chatId, threadId } = await customer();
    const ids: string[] = [];
    for (const text of ['first', 'second', 'third']) ids.push(await replyAsRep(bridge, threadId, { text }));
    for (const id of ids) await waitForStatus(bridge, id, 'SENT', 60_000);
    assert.deepEqual(
      (await sentTo(chatId)).map((s) => s.message.text),
      ['first', 'second', 'third'],
    );
    await waitFor(async () => ((await statusUpdates(bridge, ids[2]!)).length === 1 ? true : undefined));
  });
});
