import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setWebhook, telegramEndpoint } from '../../packages/bridge/src/providers/telegram/index.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { waitForStatus } from '../helpers/outbound-world.js';
import { startTelegramSandbox, type TelegramSandboxHandle } from '../helpers/telegram-sandbox.js';
import { waitFor } from '../helpers/temporal.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Sent {
  readonly chatId: number;
  readonly method: string;
  readonly message: {
    message_id: number;
    text?: string;
    message_thread_id?: number;
    is_topic_message?: boolean;
    business_connection_id?: string;
    from?: { id: number };
    reply_to_message?: { message_id: number; text?: string };
  };
}

const SECRET = 'outbound_chats_secret';

/**
 * Customers write through the bridge (Telegram emulator → bridge inbound → HubSpot sandbox), a rep answers in the
 * sandbox inbox, and the reply lands where the customer wrote: the same forum topic, the same Business chat, and as a
 * reply to the message the rep replied to (HubSpot's `inReplyToId`).
 */
describe('outbound: HubSpot rep → Telegram topics, Business chats and reply-to links', () => {
  let bridge: TestBridge;
  let tg: TelegramSandboxHandle;
  let account: AccountWithCredentials;

  before(async () => {
    tg = await startTelegramSandbox();
    bridge = await startTestBridge({
      outbound: { providerEndpoints: { settings: { telegram: { apiBaseUrl: tg.url } } } },
    });
    account = await connectAccount(bridge, 'telegram', { botToken: tg.token, secretToken: SECRET });
    await setWebhook(telegramEndpoint({ botToken: tg.token, apiBaseUrl: tg.url }, { fetch }), {
      url: `${bridge.apiUrl}/webhooks/telegram/${account.accountId}`,
      secretToken: SECRET,
    });
  });
  after(async () => {
    await bridge?.stop();
    await tg?.close();
  });

  const control = async (path: string, body: unknown): Promise<Json> => {
    const res = await tg.control(`/bots/${tg.bot.id}${path}`, body);
    const json = (await res.json()) as Json;
    assert.equal(res.status, 201, JSON.stringify(json));
    return json;
  };
  const sentTo = async (chatId: number): Promise<Sent[]> =>
    (await (await tg.control(`/bots/${tg.bot.id}/sent?chat_id=${chatId}`)).json()) as Sent[];
  /** The customer's message as the bridge published it into HubSpot. */
  const published = (text: string) =>
    waitFor(
      () =>
        [...bridge.sandboxState.messages.values()].find((m) => m.direction === 'INCOMING' && m.text?.includes(text)),
      30_000,
      `"${text}" in HubSpot`,
    );
  /** A rep replies in the sandbox inbox, optionally to one message of the thread. */
  async function repReplies(threadId: string, text: string, inReplyToId?: string): Promise<string> {
    const res = await fetch(`${bridge.sandbox.url}/_sandbox/threads/${threadId}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, ...(inReplyToId ? { inReplyToId } : {}) }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { id: string }).id;
  }

  it('sends a reply to the customer message the rep replied to in HubSpot (inReplyToId → reply_parameters)', async () => {
    const customer = { id: 5200000001, first_name: 'Jane' };
    const first = (await control('/messages', { from: customer, text: 'Where is order 1042?' })).update.message;
    const hsFirst = await published('Where is order 1042?');
    await control('/messages', { from: customer, text: 'And order 1043?' });
    const hsSecond = await published('And order 1043?');
    assert.equal(hsSecond.conversationsThreadId, hsFirst.conversationsThreadId);

    // The rep answers the first question, not the latest message.
    const reply = await repReplies(hsFirst.conversationsThreadId, '1042 ships today', hsFirst.id);
    assert.equal(bridge.sandboxState.messages.get(reply)?.inReplyToId, hsFirst.id);
    assert.deepEqual(await waitForStatus(bridge, reply, 'SENT', 60_000), [{ statusType: 'SENT' }]);
    const sent = (await sentTo(customer.id)).find((s) => s.message.text === '1042 ships today');
    assert.equal(sent?.message.reply_to_message?.message_id, first.message_id);
    assert.equal(sent?.message.reply_to_message?.text, 'Where is order 1042?');

    // A reply that names the customer's latest message (as the sandbox's composer does by default) is not quoted.
    const plain = await repReplies(hsFirst.conversationsThreadId, '1043 ships tomorrow', hsSecond.id);
    await waitForStatus(bridge, plain, 'SENT', 60_000);
    const sentPlain = (await sentTo(customer.id)).find((s) => s.message.text === '1043 ships tomorrow');
    assert.ok(sentPlain, 'the reply went');
    assert.equal(sentPlain.message.reply_to_message, undefined);
  });

  it('sends without the link when HubSpot names a message the bridge never published', async () => {
    const customer = { id: 5200000002, first_name: 'Omar' };
    await control('/messages', { from: customer, text: 'Hello there' });
    const hs = await published('Hello there');
    // The rep's own earlier reply: a message of the thread, but not one the bridge published into HubSpot.
    const note = await repReplies(hs.conversationsThreadId, 'first answer');
    await waitForStatus(bridge, note, 'SENT', 60_000);
    const reply = await repReplies(hs.conversationsThreadId, 'second answer', note);
    assert.deepEqual(await waitForStatus(bridge, reply, 'SENT', 60_000), [{ statusType: 'SENT' }]);
    const sent = (await sentTo(customer.id)).find((s) => s.message.text === 'second answer');
    assert.ok(sent, 'the reply went');
    assert.equal(sent.message.reply_to_message, undefined);
  });

  it('answers a forum topic in that topic', async () => {
    const ana = { id: 5200000003, first_name: 'Ana' };
    await control('/messages', { from: ana, text: '/start' });
    const { chat } = await control('/groups', { title: 'Help forum', is_forum: true, member_ids: [ana.id] });
    const returns = await control(`/groups/${chat.id}/topics`, { name: 'Returns', user_id: ana.id });
    const sizes = await control(`/groups/${chat.id}/topics`, { name: 'Sizes', user_id: ana.id });
    await control(`/groups/${chat.id}/messages`, {
      from: { id: ana.id },
      text: 'Can I return a jacket?',
      message_thread_id: returns.message_thread_id,
    });
    const hs = await published('Can I return a jacket?');

    const reply = await repReplies(hs.conversationsThreadId, 'Yes, within 30 days', hs.id);
    assert.deepEqual(await waitForStatus(bridge, reply, 'SENT', 60_000), [{ statusType: 'SENT' }]);
    const sent = (await sentTo(chat.id)).find((s) => s.message.text === 'Yes, within 30 days');
    assert.equal(sent?.message.message_thread_id, returns.message_thread_id, 'in the Returns topic');
    assert.notEqual(sent?.message.message_thread_id, sizes.message_thread_id);
    assert.equal(sent?.message.is_topic_message, true);
    // The customer's latest message is not quoted; in a topic Telegram itself makes it a reply to the topic's start.
    assert.notEqual(sent?.message.reply_to_message?.text, 'Can I return a jacket?');
  });

  it("answers a Business chat in the customer's chat with the business, on its behalf", async () => {
    const owner = { id: 5200000009, first_name: 'Lena', username: 'lena_bakery' };
    const ben = { id: 5200000004, first_name: 'Ben' };
    const { connection } = await control('/business-connections', { from: owner });
    await control(`/business-connections/${connection.id}/messages`, { from: ben, text: 'Gluten-free bread today?' });
    const hs = await published('Gluten-free bread today?');

    const reply = await repReplies(hs.conversationsThreadId, 'Yes, until 6pm', hs.id);
    assert.deepEqual(await waitForStatus(bridge, reply, 'SENT', 60_000), [{ statusType: 'SENT' }]);
    const sent = (await sentTo(ben.id)).find((s) => s.message.text === 'Yes, until 6pm');
    assert.equal(sent?.message.business_connection_id, connection.id);
    assert.equal(sent?.message.from?.id, owner.id, 'sent as the business, not the bot');
    assert.equal(sent?.message.reply_to_message, undefined, "the customer's latest message is not quoted");
  });
});
