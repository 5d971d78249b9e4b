import { asProviderMessageId, conversationKey, type AccountId } from '../../domain/ids.js';
import { ignoredEvent as ignored, InvalidPayloadError, type InboundEvent, type RawWebhook } from '../types.js';
import { describeIssues, parseJsonBody } from '../parse.js';
import { formatTelegramChatRef, telegramMessageId } from './chat-ref.js';
import { userName } from './content-notes.js';
import type { z, ZodTypeAny } from 'zod';
import { toInboundMessage } from './inbound-message.js';
import {
  businessConnectionSchema,
  businessMessagesDeletedSchema,
  chatMemberUpdatedSchema,
  messageSchema,
  pollAnswerSchema,
  updateEnvelopeSchema,
  type TelegramChatMemberUpdated,
  type TelegramMessage,
} from './wire-types.js';

export { telegramMessageId } from './chat-ref.js';

/**
 * The update types the bridge turns into inbox messages, notes or deliberate ignores: exactly what
 * setWebhook's `allowed_updates` asks for (bot-setup.ts). `poll_answer` only comes for polls a bot
 * sent; it is listed so that such an answer, if one ever comes, is a note rather than lost.
 */
export const HANDLED_UPDATE_TYPES = [
  'message',
  'edited_message',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'my_chat_member',
  'poll_answer',
] as const;

function parsed<S extends ZodTypeAny>(schema: S, raw: unknown, type: string): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new InvalidPayloadError(`${type}: ${describeIssues(result.error)}`);
  return result.data;
}

/**
 * In a private chat `my_chat_member` arrives only when the customer blocks or unblocks the bot; in a
 * group, when the bot is added or removed. Neither is something a rep answers, so both are ignores.
 */
function chatMemberEvent(update: TelegramChatMemberUpdated): InboundEvent {
  const status = update.new_chat_member.status;
  const who = `chat ${update.chat.id}`;
  if (update.chat.type !== 'private') {
    const gone = status === 'left' || status === 'kicked';
    return ignored(
      gone ? 'bot-removed-from-group' : 'bot-added-to-group',
      `the bot is now "${status}" in ${update.chat.title ?? who} (${who})`,
    );
  }
  if (status === 'kicked') return ignored('customer-blocked', `the customer blocked the bot (${who})`);
  if (status === 'member') return ignored('customer-unblocked', `the customer unblocked the bot (${who})`);
  return ignored('membership-changed', `the bot's membership changed to "${status}" (${who})`);
}

function withContent(event: InboundEvent): InboundEvent {
  if (event.kind !== 'message') return event;
  const m = event.message;
  if (m.text.trim() === '' && m.media.length === 0 && !m.location && !m.contacts) {
    return ignored('no-content', `message ${m.providerMessageId} has no text or media the bridge carries`);
  }
  return event;
}

/**
 * A Business chat also shows the business's own messages (typed in the app, or sent by a bot for it):
 * the customer is the chat, so anything from someone else is the business talking. [INFERRED] from
 * the Bot API: in a private chat `chat.id` is the other party's user id.
 */
function isBusinessOwnMessage(m: TelegramMessage): boolean {
  return m.sender_business_bot !== undefined || (m.from !== undefined && m.from.id !== m.chat.id);
}

function messageEvent(accountId: AccountId, raw: unknown, type: string): InboundEvent {
  const m = parsed(messageSchema, raw, type);
  if (m.business_connection_id && isBusinessOwnMessage(m)) {
    return ignored(
      'business-own-message',
      `message ${m.message_id} in business chat ${m.chat.id} was sent by the business itself`,
    );
  }
  return withContent({ kind: 'message', message: toInboundMessage(accountId, m) });
}

/** An edit is a message of its own in the same thread: "[edited: <new text>]". */
function editEvent(accountId: AccountId, raw: unknown, type: string): InboundEvent {
  const m = parsed(messageSchema, raw, type);
  if (m.business_connection_id && isBusinessOwnMessage(m)) {
    return ignored(
      'business-own-message',
      `an edit of message ${m.message_id} in business chat ${m.chat.id} was made by the business itself`,
    );
  }
  // A live location moves by editing its message, every few seconds: each move is not news for a rep.
  if (m.location && m.text === undefined && m.caption === undefined) {
    return ignored('live-location-update', `live location ${m.message_id} in chat ${m.chat.id} moved`);
  }
  const message = toInboundMessage(accountId, m, {
    idSuffix: `:edited-${m.edit_date ?? m.date}`,
    withoutFiles: true,
    text: (body) => `[edited: ${body || 'changed the attached file'}]`,
  });
  return withContent({ kind: 'message', message });
}

function businessConnectionEvent(raw: unknown): InboundEvent {
  const c = parsed(businessConnectionSchema, raw, 'business_connection');
  const who = `${userName(c.user)}, connection ${c.id}`;
  return c.is_enabled
    ? ignored('business-connected', `a Business account connected the bot (${who})`)
    : ignored('business-disconnected', `a Business account disconnected the bot (${who})`);
}

/** Deleted messages stay in HubSpot; the thread says they were deleted. The update has no date: now it is. */
function businessDeletedEvent(accountId: AccountId, raw: unknown, updateId: number, now: Date): InboundEvent {
  const d = parsed(businessMessagesDeletedSchema, raw, 'deleted_business_messages');
  const providerChatId = formatTelegramChatRef({
    chatId: String(d.chat.id),
    businessConnectionId: d.business_connection_id,
  });
  const count = d.message_ids.length;
  return {
    kind: 'message',
    message: {
      accountId,
      provider: 'telegram',
      providerMessageId: asProviderMessageId(telegramMessageId(providerChatId, `deleted-${updateId}`)),
      providerChatId,
      conversationKey: conversationKey(accountId, providerChatId),
      sender: {
        id: providerChatId,
        name: [d.chat.first_name, d.chat.last_name].filter(Boolean).join(' ') || providerChatId,
      },
      text: `[deleted ${count} message${count === 1 ? '' : 's'} in Telegram]`,
      media: [],
      sentAt: now.toISOString(),
    },
  };
}

/** A vote in a poll the bot sent, in the voter's private chat. Option numbers count from 1, as people do. */
function pollAnswerEvent(accountId: AccountId, raw: unknown, updateId: number, now: Date): InboundEvent {
  const a = parsed(pollAnswerSchema, raw, 'poll_answer');
  const voter = a.voter_chat
    ? { id: String(a.voter_chat.id), name: a.voter_chat.title }
    : a.user
      ? { id: String(a.user.id), name: userName(a.user) }
      : undefined;
  if (!voter) return ignored('no-content', `poll answer in update ${updateId} names no voter`);
  const text =
    a.option_ids.length === 0
      ? '[took back a poll vote]'
      : `[voted in a poll: option ${a.option_ids.map((i) => i + 1).join(', ')}]`;
  return {
    kind: 'message',
    message: {
      accountId,
      provider: 'telegram',
      providerMessageId: asProviderMessageId(telegramMessageId(voter.id, `poll-answer-${updateId}`)),
      providerChatId: voter.id,
      conversationKey: conversationKey(accountId, voter.id),
      sender: voter,
      text,
      media: [],
      sentAt: now.toISOString(),
    },
  };
}

const NOT_CARRIED: Readonly<Record<string, { code: string; why: string }>> = {
  channel_post: { code: 'channel-post', why: 'channel posts are not customer conversations' },
  edited_channel_post: { code: 'channel-post', why: 'channel posts are not customer conversations' },
  poll: { code: 'poll-state', why: 'poll results are not messages' },
};

/**
 * One Update → one event. Telegram adds update types over time: an unknown one is acknowledged as
 * `ignored` so Telegram stops redelivering it, never rejected. `now` dates the updates that carry no date.
 */
export function normaliseTelegramUpdate(
  accountId: AccountId,
  webhook: RawWebhook,
  now: Date = new Date(),
): InboundEvent[] {
  const envelope = updateEnvelopeSchema.safeParse(parseJsonBody(webhook.body));
  if (!envelope.success) throw new InvalidPayloadError(`update: ${describeIssues(envelope.error)}`);
  const update = envelope.data as Record<string, unknown> & { update_id: number };
  const id = update.update_id;
  if ('message' in update) return [messageEvent(accountId, update.message, 'message')];
  if ('business_message' in update) return [messageEvent(accountId, update.business_message, 'business_message')];
  if ('edited_message' in update) return [editEvent(accountId, update.edited_message, 'edited_message')];
  if ('edited_business_message' in update)
    return [editEvent(accountId, update.edited_business_message, 'edited_business_message')];
  if ('deleted_business_messages' in update)
    return [businessDeletedEvent(accountId, update.deleted_business_messages, id, now)];
  if ('business_connection' in update) return [businessConnectionEvent(update.business_connection)];
  if ('poll_answer' in update) return [pollAnswerEvent(accountId, update.poll_answer, id, now)];
  if ('my_chat_member' in update)
    return [chatMemberEvent(parsed(chatMemberUpdatedSchema, update.my_chat_member, 'my_chat_member'))];
  const type = Object.keys(update).find((key) => key !== 'update_id');
  if (type === undefined) return [ignored('no-content', `update ${id} carries no content`)];
  const known = NOT_CARRIED[type];
  if (known) return [ignored(known.code, `update ${id} of type "${type}" ignored: ${known.why}`)];
  return [ignored('update-type', `update ${id} of type "${type}" ignored: it is not a type the bridge carries`)];
}
