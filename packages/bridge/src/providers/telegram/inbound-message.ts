import { asProviderMessageId, conversationKey, type AccountId } from '../../domain/ids.js';
import type { InboundMessage, Sender } from '../../domain/messages.js';
import { formatTelegramChatRef, messageScope, telegramMessageId, type TelegramChatRef } from './chat-ref.js';
import { toCanonicalContact, toCanonicalLocation } from './canonical-shared.js';
import { messageNotes, userName } from './content-notes.js';
import { renderEntities } from './entities.js';
import { fileMedia } from './inbound-media.js';
import { sharedLines } from './shared-content.js';
import type { TelegramChat, TelegramMessage } from './wire-types.js';

/** Which conversation a message belongs to: one per private chat, group, forum topic or Business chat. */
export function chatRefOf(m: TelegramMessage): TelegramChatRef {
  const chatId = String(m.chat.id);
  if (m.business_connection_id) return { chatId, businessConnectionId: m.business_connection_id };
  // Outside forums `message_thread_id` names a reply thread, not a topic: only `is_topic_message` makes one.
  if (m.is_topic_message && m.message_thread_id !== undefined) return { chatId, messageThreadId: m.message_thread_id };
  return { chatId };
}

export const isGroupChat = (chat: TelegramChat) => chat.type === 'group' || chat.type === 'supergroup';

/** Who wrote it, as the group shows it: an anonymous admin or a linked channel writes as a chat. */
function authorName(m: TelegramMessage): string | undefined {
  if (m.sender_chat)
    return [m.sender_chat.title ?? m.sender_chat.username, m.author_signature].filter(Boolean).join(', ') || undefined;
  return m.from ? userName(m.from) : undefined;
}

/**
 * The HubSpot sender is the conversation, so a DELIVERY_IDENTIFIER channel threads and answers by it too:
 * a private chat's id is the customer's user id; a group (or topic) is one sender named after the group,
 * with each member's name in the text; a Business chat is keyed by its ref, named after the customer.
 */
function senderOf(m: TelegramMessage, providerChatId: string): Sender {
  if (isGroupChat(m.chat)) return { id: providerChatId, name: m.chat.title ?? providerChatId };
  if (m.business_connection_id)
    return { id: providerChatId, name: m.from ? userName(m.from) : (m.chat.first_name ?? providerChatId) };
  if (!m.from) return { id: String(m.chat.id), name: m.chat.title ?? m.chat.first_name };
  return { id: String(m.from.id), name: userName(m.from) };
}

/** What the message says: the quoted part of the replied message, the text with its entities, notes, shared places. */
export function messageBody(m: TelegramMessage): string {
  const lines: string[] = [];
  if (m.quote) lines.push(...m.quote.text.split('\n').map((line) => `> ${line}`));
  if (m.reply_to_story)
    lines.push(
      `[replying to a story from ${m.reply_to_story.chat.username ? `@${m.reply_to_story.chat.username}` : (m.reply_to_story.chat.title ?? 'a chat')}]`,
    );
  if (m.external_reply?.chat)
    lines.push(
      `[replying to a message from ${m.external_reply.chat.title ?? m.external_reply.chat.username ?? 'another chat'}]`,
    );
  const text =
    m.text !== undefined
      ? renderEntities(m.text, m.entities)
      : m.caption !== undefined
        ? renderEntities(m.caption, m.caption_entities)
        : '';
  if (text !== '') lines.push(text);
  lines.push(...messageNotes(m), ...sharedLines(m));
  return lines.join('\n');
}

/** In a group every line of the conversation says who wrote it. */
function withAuthor(m: TelegramMessage, body: string): string {
  const author = isGroupChat(m.chat) ? authorName(m) : undefined;
  return author && body !== '' ? `${author}: ${body}` : body;
}

/** Every message in a forum topic "replies" to the topic's first message; only a real reply is carried. */
function replyTarget(m: TelegramMessage, scope: string): string | undefined {
  const replied = m.reply_to_message;
  if (!replied) return undefined;
  if (m.is_topic_message && replied.message_id === m.message_thread_id) return undefined;
  return telegramMessageId(scope, replied.message_id);
}

export interface MessageVariant {
  /** Distinguishes an edit from the original, so it is a message of its own. */
  readonly idSuffix?: string;
  readonly text?: (body: string) => string;
  /** Edits carry the new text only: the files were carried with the original. */
  readonly withoutFiles?: boolean;
}

export function toInboundMessage(
  accountId: AccountId,
  m: TelegramMessage,
  variant: MessageVariant = {},
): InboundMessage {
  const ref = chatRefOf(m);
  const providerChatId = formatTelegramChatRef(ref);
  const scope = messageScope(ref);
  const body = messageBody(m);
  const location = toCanonicalLocation(m);
  const contact = toCanonicalContact(m);
  const keep = !variant.withoutFiles;
  return {
    accountId,
    provider: 'telegram',
    providerMessageId: asProviderMessageId(telegramMessageId(scope, m.message_id) + (variant.idSuffix ?? '')),
    providerChatId,
    conversationKey: conversationKey(accountId, providerChatId),
    sender: senderOf(m, providerChatId),
    text: withAuthor(m, variant.text ? variant.text(body) : body),
    media: keep ? fileMedia(m) : [],
    replyToProviderMessageId: replyTarget(m, scope),
    sentAt: new Date((variant.idSuffix && m.edit_date ? m.edit_date : m.date) * 1000).toISOString(),
    // HubSpot LOCATION / CONTACT attachments; the text lines stay for every other reader.
    ...(keep && location ? { location } : {}),
    ...(keep && contact ? { contacts: [contact] } : {}),
  };
}
