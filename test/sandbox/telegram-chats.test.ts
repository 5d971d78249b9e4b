import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { InboundMessage } from '../../packages/bridge/src/domain/messages.js';
import {
  HANDLED_UPDATE_TYPES,
  normaliseTelegramUpdate,
} from '../../packages/bridge/src/providers/telegram/normalise.js';
import { specCheck } from '../helpers/spec-schemas.js';
import {
  assertUpdatesMatchSpec,
  startTelegramSandbox,
  startWebhookReceiver,
  waitUntil,
  type TelegramSandboxHandle,
} from '../helpers/telegram-sandbox.js';
import { TELEGRAM_SPEC } from '../helpers/telegram-schemas.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ANA = { id: 5100000001, first_name: 'Ana', username: 'ana_b' };
const BEN = { id: 5100000002, first_name: 'Ben' };

/** The emulator's groups, forum topics and Business chats, as the bridge's webhook receives them. */
describe('Telegram emulator: groups, forum topics and Business chats', () => {
  let sandbox: TelegramSandboxHandle;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const control = async (path: string, body: unknown, status = 201): Promise<Json> => {
    const res = await sandbox.control(`/bots/${sandbox.bot.id}${path}`, body);
    const json = (await res.json()) as Json;
    assert.equal(res.status, status, JSON.stringify(json));
    return json;
  };
  /** The pushed update with this id, once the webhook has it. */
  const pushed = (updateId: number) =>
    waitUntil(
      () => hook.received.map((r) => r.body as Json).find((u) => u.update_id === updateId),
      `update ${updateId}`,
    );
  const normalised = (update: Json): InboundMessage => {
    const [event] = normaliseTelegramUpdate(asAccountId('acct'), {
      headers: {},
      body: Buffer.from(JSON.stringify(update)),
    });
    assert.equal(event?.kind, 'message', JSON.stringify(event));
    return (event as { message: InboundMessage }).message;
  };

  before(async () => {
    sandbox = await startTelegramSandbox();
    hook = await startWebhookReceiver();
    await sandbox.api('setWebhook', {
      url: hook.url,
      secret_token: 'chats_secret',
      allowed_updates: HANDLED_UPDATE_TYPES,
    });
    for (const user of [ANA, BEN])
      await sandbox.control(`/bots/${sandbox.bot.id}/messages`, { from: user, text: '/start' });
  });
  after(async () => {
    await sandbox.close();
    await hook.close();
  });

  it('puts the bot in a supergroup with several members, who each write in it', async () => {
    const { chat, update: joined } = await control('/groups', { title: 'Beta testers', member_ids: [ANA.id, BEN.id] });
    assert.equal(chat.type, 'supergroup');
    assert.ok(chat.id < -1_000_000_000_000, 'a supergroup id is -100…');
    assert.equal((await pushed(joined.update_id)).my_chat_member.new_chat_member.status, 'member');

    const first = (await control(`/groups/${chat.id}/messages`, { from: { id: ANA.id }, text: 'Is the beta out?' }))
      .update;
    const reply = (
      await control(`/groups/${chat.id}/messages`, {
        from: { id: BEN.id },
        text: 'Not yet',
        reply_to_message_id: first.message.message_id,
      })
    ).update;
    const [a, b] = [await pushed(first.update_id), await pushed(reply.update_id)];
    assert.deepEqual([a.message.from.id, b.message.from.id], [ANA.id, BEN.id]);
    assert.equal(b.message.reply_to_message.message_id, a.message.message_id);
    assert.equal(b.message.message_thread_id, a.message.message_id, 'a supergroup reply names its thread…');
    assert.equal(b.message.is_topic_message, undefined, '…without being a topic');

    const [ma, mb] = [normalised(a), normalised(b)];
    assert.equal(ma.conversationKey, mb.conversationKey, 'one conversation for the group');
    assert.equal(mb.text, 'Ben: Not yet');
  });

  it('refuses a message from someone who is not a member', async () => {
    const { chat } = await control('/groups', { title: 'Closed', member_ids: [ANA.id] });
    const refused = await control(`/groups/${chat.id}/messages`, { from: { id: BEN.id }, text: 'let me in' }, 400);
    assert.match(String(refused.error), /not a member/);
  });

  it("opens forum topics, each its own conversation, and takes the bot's reply into a topic", async () => {
    const { chat } = await control('/groups', { title: 'Help forum', is_forum: true, member_ids: [ANA.id, BEN.id] });
    assert.equal(chat.is_forum, true);
    const returns = await control(`/groups/${chat.id}/topics`, { name: 'Returns', user_id: ANA.id });
    const sizes = await control(`/groups/${chat.id}/topics`, { name: 'Sizes', user_id: BEN.id });
    assert.equal((await pushed(returns.update.update_id)).message.forum_topic_created.name, 'Returns');

    const inReturns = (
      await control(`/groups/${chat.id}/messages`, {
        from: { id: ANA.id },
        text: 'Jacket return?',
        message_thread_id: returns.message_thread_id,
      })
    ).update;
    const inSizes = (
      await control(`/groups/${chat.id}/messages`, {
        from: { id: BEN.id },
        text: 'Runs small?',
        message_thread_id: sizes.message_thread_id,
      })
    ).update;
    const pushedReturns = await pushed(inReturns.update_id);
    assert.equal(pushedReturns.message.is_topic_message, true);
    assert.equal(pushedReturns.message.message_thread_id, returns.message_thread_id);
    assert.equal(
      pushedReturns.message.reply_to_message.message_id,
      returns.message_thread_id,
      'a topic message replies to the topic root',
    );

    const [r, s] = [normalised(pushedReturns), normalised(await pushed(inSizes.update_id))];
    assert.equal(r.providerChatId, `${chat.id}:topic:${returns.message_thread_id}`);
    assert.equal(s.providerChatId, `${chat.id}:topic:${sizes.message_thread_id}`);
    assert.equal(r.replyToProviderMessageId, undefined, 'the implicit reply to the root is not a reply');

    await control(`/groups/${chat.id}/messages`, { from: { id: ANA.id }, text: 'x', message_thread_id: 999_999 }, 400);
    const sent = (await (
      await sandbox.api('sendMessage', {
        chat_id: chat.id,
        message_thread_id: returns.message_thread_id,
        text: 'Send it back within 30 days',
      })
    ).json()) as Json;
    assert.equal(sent.ok, true, JSON.stringify(sent));
    assert.equal(sent.result.message_thread_id, returns.message_thread_id);
    assert.equal(sent.result.is_topic_message, true);
  });

  it("carries a Business account's chats: connection, customer messages, edits and deletions, and replies on the business's behalf", async () => {
    const owner = { id: 5100000009, first_name: 'Lena', username: 'lena_bakery' };
    const { connection, update: connected } = await control('/business-connections', { from: owner });
    assert.equal((await pushed(connected.update_id)).business_connection.is_enabled, true);

    const asked = (
      await control(`/business-connections/${connection.id}/messages`, { from: BEN, text: 'Gluten-free bread today?' })
    ).update;
    const message = (await pushed(asked.update_id)).business_message;
    assert.equal(message.business_connection_id, connection.id);
    assert.equal(message.chat.id, BEN.id);
    const m = normalised({ update_id: asked.update_id, business_message: message });
    assert.equal(m.providerChatId, `business:${connection.id}:${BEN.id}`);

    const edited = (
      await control(
        '/edits',
        {
          chat_id: BEN.id,
          message_id: message.message_id,
          business_connection_id: connection.id,
          text: 'Gluten-free bread tomorrow?',
        },
        200,
      )
    ).update;
    assert.equal((await pushed(edited.update_id)).edited_business_message.text, 'Gluten-free bread tomorrow?');
    assert.equal(normalised(await pushed(edited.update_id)).text, '[edited: Gluten-free bread tomorrow?]');

    const reply = (await (
      await sandbox.api('sendMessage', {
        business_connection_id: connection.id,
        chat_id: BEN.id,
        text: 'Yes, until 6pm',
      })
    ).json()) as Json;
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.equal(reply.result.from.id, owner.id, 'sent as the business');
    assert.equal(reply.result.sender_business_bot.id, sandbox.bot.id);

    const deleted = (
      await control(
        `/business-connections/${connection.id}/delete`,
        { chat_id: BEN.id, message_ids: [message.message_id] },
        200,
      )
    ).update;
    assert.deepEqual((await pushed(deleted.update_id)).deleted_business_messages.message_ids, [message.message_id]);
  });

  it('edits a private message as edited_message', async () => {
    const sent = (await control('/messages', { from: ANA, text: 'Order 1042' })).update;
    const edited = (
      await control('/edits', { chat_id: ANA.id, message_id: sent.message.message_id, text: 'Order 1043' }, 200)
    ).update;
    const pushedEdit = await pushed(edited.update_id);
    assert.equal(pushedEdit.edited_message.text, 'Order 1043');
    assert.ok(pushedEdit.edited_message.edit_date >= pushedEdit.edited_message.date);
  });

  it('pushes only Bot API fields', async (t) => {
    await specCheck(t, TELEGRAM_SPEC, 'every update pushed', () =>
      assertUpdatesMatchSpec(hook.received.map((r) => r.body)),
    );
  });
});
