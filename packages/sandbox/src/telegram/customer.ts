import { mediaField, storeFile, type MediaDetails } from './files.js';
import {
  chatMessages,
  nextMessageId,
  nowSeconds,
  type Customer,
  type FileKind,
  type SandboxBot,
  type TelegramSandboxState,
} from './state.js';
import { enqueueUpdate } from './webhook-delivery.js';
import { badRequest, privateChatOf, type TgChat, type TgMessage, type TgUpdate, type TgUser } from './wire.js';

/** What a person does in the Telegram app, as the control API and the customer page describe it. */
export interface CustomerMessageInput {
  readonly from?: Partial<Omit<TgUser, 'is_bot'>>;
  readonly text?: string;
  readonly replyToMessageId?: number;
  readonly file?: {
    readonly as: FileKind;
    readonly data: Buffer;
    readonly fileName?: string;
    readonly mimeType?: string;
  } & MediaDetails;
  readonly location?: { readonly latitude: number; readonly longitude: number; readonly horizontal_accuracy?: number };
  readonly contact?: {
    readonly phone_number: string;
    readonly first_name: string;
    readonly last_name?: string;
    readonly user_id?: number;
    readonly vcard?: string;
  };
  /** A place picked on the map: sent as a `venue` (and, as Telegram does for older clients, its `location`). */
  readonly venue?: {
    readonly latitude: number;
    readonly longitude: number;
    readonly title: string;
    readonly address: string;
  };
}

/** Bot API `Venue`: https://core.telegram.org/bots/api#venue */
interface TgVenue {
  location: { latitude: number; longitude: number };
  title: string;
  address: string;
}

export const DEFAULT_CUSTOMER: TgUser = {
  id: 7113042871,
  is_bot: false,
  first_name: 'Jane',
  last_name: 'Doe',
  username: 'janedoe',
  language_code: 'en',
};

/** The customer is created the first time they write, as when a person presses Start. */
export function customerFor(state: TelegramSandboxState, from: CustomerMessageInput['from'] = {}): Customer {
  const id = from.id ?? DEFAULT_CUSTOMER.id;
  const existing = state.customers.get(id);
  if (existing) return existing;
  const base = id === DEFAULT_CUSTOMER.id ? DEFAULT_CUSTOMER : { id, is_bot: false, first_name: `Customer ${id}` };
  const user: TgUser = {
    ...base,
    ...Object.fromEntries(Object.entries(from).filter(([, v]) => v !== undefined)),
    id,
    is_bot: false,
  };
  const customer: Customer = { user, blocked: new Set() };
  state.customers.set(id, customer);
  return customer;
}

export function nextUpdate(state: TelegramSandboxState, content: Omit<TgUpdate, 'update_id'>): TgUpdate {
  return { update_id: state.nextUpdateId++, ...content };
}

export function content(
  state: TelegramSandboxState,
  bot: SandboxBot,
  input: CustomerMessageInput,
): Partial<TgMessage> & { venue?: TgVenue } {
  const text = input.text?.trim() ? input.text : undefined;
  if (input.file) {
    const { as, data, fileName, mimeType, ...details } = input.file;
    if (data.length === 0) throw badRequest('file must be non-empty');
    const file = storeFile(state, { botId: bot.id, kind: as, data, mimeType, fileName });
    // Round videos and stickers carry no caption in Telegram's apps.
    const captioned = text && as !== 'sticker' && as !== 'video_note' ? { caption: text } : {};
    return { ...mediaField(file, details), ...captioned };
  }
  if (input.venue) {
    const { latitude, longitude, title, address } = input.venue;
    // "For backward compatibility, when this field is set, the location field will also be set." (Message.venue)
    return { location: { latitude, longitude }, venue: { location: { latitude, longitude }, title, address } };
  }
  if (input.location) return { location: { ...input.location } };
  if (input.contact) return { contact: { ...input.contact } };
  if (!text) throw badRequest('message text is empty');
  return { text };
}

/** Where a message is posted: a private chat, a group (maybe one forum topic) or a Business chat. */
export interface Placement {
  readonly chat: TgChat;
  readonly messageThreadId?: number;
  readonly businessConnectionId?: string;
}

/** The message an explicit reply points at, one level deep as Telegram includes it. */
function shallowCopy(message: TgMessage): TgMessage {
  const { reply_to_message: _nested, ...shallow } = message;
  return shallow;
}

/**
 * Stores a message someone wrote and pushes it as an Update: `message`, or `business_message` in a
 * Business chat. In a forum topic every message replies to the topic's first message unless it replies
 * to another; in a plain supergroup a reply names its thread in `message_thread_id` (without
 * `is_topic_message`), as Telegram does.
 */
export function postMessage(
  state: TelegramSandboxState,
  bot: SandboxBot,
  from: TgUser,
  place: Placement,
  input: CustomerMessageInput,
): TgUpdate {
  const messages = chatMessages(state, bot.id, place.chat.id, place.businessConnectionId);
  let replyTo: TgMessage | undefined;
  if (input.replyToMessageId !== undefined) {
    replyTo = messages.find((m) => m.message_id === input.replyToMessageId);
    if (!replyTo) throw badRequest('message to be replied not found');
  }
  const topic = place.messageThreadId;
  if (topic !== undefined && !replyTo) replyTo = messages.find((m) => m.message_id === topic);
  const replyThread =
    place.chat.type === 'supergroup' && !place.chat.is_forum && replyTo
      ? (replyTo.message_thread_id ?? replyTo.message_id)
      : undefined;
  const message: TgMessage = {
    message_id: nextMessageId(state, bot.id, place.chat.id, place.businessConnectionId),
    ...(topic !== undefined
      ? { message_thread_id: topic }
      : replyThread !== undefined
        ? { message_thread_id: replyThread }
        : {}),
    from,
    chat: place.chat,
    date: nowSeconds(),
    ...(place.businessConnectionId ? { business_connection_id: place.businessConnectionId } : {}),
    ...(topic !== undefined ? { is_topic_message: true as const } : {}),
    ...content(state, bot, input),
  };
  if (replyTo) message.reply_to_message = shallowCopy(replyTo);
  messages.push(message);
  const update = nextUpdate(state, place.businessConnectionId ? { business_message: message } : { message });
  enqueueUpdate(state, bot, update);
  return update;
}

/** A customer message to the bot: stored in the chat and pushed as an Update. */
export function customerSends(state: TelegramSandboxState, bot: SandboxBot, input: CustomerMessageInput): TgUpdate {
  const customer = customerFor(state, input.from);
  return postMessage(state, bot, customer.user, { chat: privateChatOf(customer.user) }, input);
}

/** Blocking shows up to the bot as a my_chat_member update ("kicked") and as 403 on every send. */
export function setBlocked(
  state: TelegramSandboxState,
  bot: SandboxBot,
  userId: number | undefined,
  blocked: boolean,
): TgUpdate | undefined {
  const customer = customerFor(state, { id: userId });
  if (customer.blocked.has(bot.id) === blocked) return undefined;
  if (blocked) customer.blocked.add(bot.id);
  else customer.blocked.delete(bot.id);
  chatMessages(state, bot.id, customer.user.id);
  const member = { status: 'member', user: bot.user };
  const kicked = { status: 'kicked', user: bot.user, until_date: 0 };
  const update = nextUpdate(state, {
    my_chat_member: {
      chat: privateChatOf(customer.user),
      from: customer.user,
      date: nowSeconds(),
      old_chat_member: blocked ? member : kicked,
      new_chat_member: blocked ? kicked : member,
    },
  });
  enqueueUpdate(state, bot, update);
  return update;
}
