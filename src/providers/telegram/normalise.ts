import { asProviderMessageId, conversationKey, type AccountId } from '../../domain/ids.js';
import type { InboundMessage, Sender } from '../../domain/messages.js';
import { InvalidPayloadError, type InboundEvent, type RawWebhook } from '../types.js';
import { describeIssues, parseJsonBody } from '../parse.js';
import { toCanonicalContact, toCanonicalLocation } from './canonical-shared.js';
import { fileMedia } from './inbound-media.js';
import { sharedLines } from './shared-content.js';
import {
  chatMemberUpdatedSchema,
  messageSchema,
  updateEnvelopeSchema,
  type TelegramChatMemberUpdated,
  type TelegramMessage,
  type TelegramUser,
} from './wire-types.js';



/** `message_id` is unique only within its chat, so the provider message id carries the chat. */
export function telegramMessageId(chatId: number | string, messageId: number | string): string {
  return `${chatId}:${messageId}`;
}

function senderOf(user: TelegramUser | undefined, m: TelegramMessage): Sender {
  if (!user) return { id: String(m.chat.id), name: m.chat.title ?? m.chat.first_name };
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return { id: String(user.id), name: user.username ? `${name} (@${user.username})` : name };
}

function toInboundMessage(accountId: AccountId, m: TelegramMessage): InboundMessage {
  const chatId = String(m.chat.id);
  const text = [m.text ?? m.caption ?? '', ...sharedLines(m)].filter((line) => line !== '').join('\n');
  const location = toCanonicalLocation(m);
  const contact = toCanonicalContact(m);
  return {
    accountId,
    provider: 'telegram',
    providerMessageId: asProviderMessageId(telegramMessageId(chatId, m.message_id)),
    providerChatId: chatId,
    conversationKey: conversationKey(accountId, chatId),
    sender: senderOf(m.from, m),
    text,
    media: fileMedia(m),
    replyToProviderMessageId: m.reply_to_message ? telegramMessageId(chatId, m.reply_to_message.message_id) : undefined,
    sentAt: new Date(m.date * 1000).toISOString(),
    // HubSpot LOCATION / CONTACT attachments; the text lines stay for every other reader.
    ...(location ? { location } : {}),
    ...(contact ? { contacts: [contact] } : {}),
  };
}

/** In a private chat `my_chat_member` arrives only when the customer blocks or unblocks the bot. */
function chatMemberEvent(update: TelegramChatMemberUpdated): InboundEvent {
  const status = update.new_chat_member.status;
  const who = `chat ${update.chat.id}`;
  if (status === 'kicked') return { kind: 'ignored', code: 'customer-blocked', reason: `the customer blocked the bot (${who})` };
  if (status === 'member') return { kind: 'ignored', code: 'customer-unblocked', reason: `the customer unblocked the bot (${who})` };
  return { kind: 'ignored', code: 'membership-changed', reason: `the bot's membership changed to "${status}" (${who})` };
}

function messageEvent(accountId: AccountId, raw: unknown): InboundEvent {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidPayloadError(`message: ${describeIssues(parsed.error)}`);
  const message = toInboundMessage(accountId, parsed.data);
  if (message.text.trim() === '' && message.media.length === 0 && !message.location && !message.contacts) {
    return { kind: 'ignored', code: 'no-content', reason: `message ${message.providerMessageId} has no text or media the bridge carries` };
  }
  return { kind: 'message', message };
}

const NOT_CARRIED: Readonly<Record<string, string>> = {
  edited_message: 'edits are not carried to HubSpot',
  channel_post: 'channel posts are not customer conversations',
  edited_channel_post: 'channel posts are not customer conversations',
};

/**
 * One Update → at most one event. Telegram adds update types over time: an unknown one is
 * acknowledged as `ignored` so Telegram stops redelivering it, never rejected.
 */
export function normaliseTelegramUpdate(accountId: AccountId, webhook: RawWebhook): InboundEvent[] {
  const envelope = updateEnvelopeSchema.safeParse(parseJsonBody(webhook.body));
  if (!envelope.success) throw new InvalidPayloadError(`update: ${describeIssues(envelope.error)}`);
  const update = envelope.data as Record<string, unknown> & { update_id: number };
  if ('message' in update) return [messageEvent(accountId, update.message)];
  if ('my_chat_member' in update) {
    const parsed = chatMemberUpdatedSchema.safeParse(update.my_chat_member);
    if (!parsed.success) throw new InvalidPayloadError(`my_chat_member: ${describeIssues(parsed.error)}`);
    return [chatMemberEvent(parsed.data)];
  }
  const type = Object.keys(update).find((key) => key !== 'update_id');
  if (type === undefined) return [{ kind: 'ignored', code: 'no-content', reason: `update ${update.update_id} carries no content` }];
  const why = NOT_CARRIED[type] ?? 'it is not a type the bridge carries';
  return [{ kind: 'ignored', code: 'update-type', reason: `update ${update.update_id} of type "${type}" ignored: ${why}` }];
}
