/**
 * The `providerChatId` of a Telegram conversation, which the bridge also reads back to send a reply
 * (src/domain/outbound-chat.ts hands it to the adapter as `OutboundMessage.chatId`):
 *
 * - `7113042871`: a private chat, a group or a supergroup: the chat id itself, as before topics and Business.
 * - `-1001234567890:topic:42`: one forum topic (`message_thread_id` 42); a reply needs `message_thread_id`.
 * - `business:<business_connection_id>:7113042871`: a chat of a connected Business account; a reply
 *   needs `business_connection_id`, or it would come from the bot instead of the business.
 *
 * The plain form stays a bare number so conversations that existed before keep their key.
 */
export interface TelegramChatRef {
  readonly chatId: string;
  readonly messageThreadId?: number;
  readonly businessConnectionId?: string;
}

const TOPIC = /^(-?\d+):topic:(\d+)$/;
const BUSINESS = /^business:(.+):(-?\d+)$/;

export function formatTelegramChatRef(ref: TelegramChatRef): string {
  if (ref.businessConnectionId !== undefined) return `business:${ref.businessConnectionId}:${ref.chatId}`;
  if (ref.messageThreadId !== undefined) return `${ref.chatId}:topic:${ref.messageThreadId}`;
  return ref.chatId;
}

export function parseTelegramChatRef(providerChatId: string): TelegramChatRef {
  const business = BUSINESS.exec(providerChatId);
  if (business) return { chatId: business[2]!, businessConnectionId: business[1]! };
  const topic = TOPIC.exec(providerChatId);
  if (topic) return { chatId: topic[1]!, messageThreadId: Number(topic[2]) };
  return { chatId: providerChatId };
}

/**
 * `message_id` is unique only within its chat, so the provider message id is `{scope}:{message_id}`; the
 * last segment stays the message id (send.ts reads it for `reply_parameters`). The scope is the chat id,
 * topics included (a supergroup numbers all its topics' messages together, so ids stay the ones send.ts
 * records for its own sends), except in a Business chat, which is a chat apart from the customer's chat
 * with the bot, with its own numbering: there it is the whole `business:…` ref.
 */
export function messageScope(ref: TelegramChatRef): string {
  return ref.businessConnectionId !== undefined ? formatTelegramChatRef(ref) : ref.chatId;
}

export function telegramMessageId(scope: number | string, messageId: number | string): string {
  return `${scope}:${messageId}`;
}
