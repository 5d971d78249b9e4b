import { customerFor, nextUpdate, postMessage, type CustomerMessageInput } from './customer.js';
import { chatMessages, nowSeconds, randomId, type SandboxBot, type TelegramSandboxState } from './state.js';
import { enqueueUpdate } from './webhook-delivery.js';
import {
  badRequest,
  privateChatOf,
  type TgBusinessConnection,
  type TgMessage,
  type TgUpdate,
  type TgUser,
} from './wire.js';

/**
 * Telegram Business: a Premium user connects the bot to their account, and the bot then receives the
 * messages customers write to that account (`business_message`), their edits and deletions.
 */

/** The owner connects (or disconnects) the bot; Telegram tells it with `business_connection`. */
export function connectBusiness(
  state: TelegramSandboxState,
  bot: SandboxBot,
  owner: Partial<Omit<TgUser, 'is_bot'>>,
  isEnabled = true,
  existingId?: string,
): { connection: TgBusinessConnection; update: TgUpdate } {
  const user = customerFor(state, owner).user;
  const previous = existingId ? state.businessConnections.get(existingId) : undefined;
  if (existingId && (!previous || previous.botId !== bot.id)) throw badRequest('business connection not found');
  // [INFERRED] the id's form: Telegram documents it as an opaque string.
  const connection: TgBusinessConnection = {
    id: existingId ?? randomId(20),
    user,
    user_chat_id: user.id,
    date: nowSeconds(),
    rights: { can_reply: true, can_read_messages: true },
    is_enabled: isEnabled,
  };
  state.businessConnections.set(connection.id, { ...connection, botId: bot.id });
  const update = nextUpdate(state, { business_connection: connection });
  enqueueUpdate(state, bot, update);
  return { connection, update };
}

function enabledConnection(state: TelegramSandboxState, bot: SandboxBot, connectionId: string) {
  const connection = state.businessConnections.get(connectionId);
  if (!connection || connection.botId !== bot.id) throw badRequest('business connection not found');
  if (!connection.is_enabled) throw badRequest('business connection is disabled');
  return connection;
}

/** A customer writes to the business account. */
export function businessCustomerSends(
  state: TelegramSandboxState,
  bot: SandboxBot,
  connectionId: string,
  input: CustomerMessageInput,
): TgUpdate {
  enabledConnection(state, bot, connectionId);
  const customer = customerFor(state, input.from);
  return postMessage(
    state,
    bot,
    customer.user,
    { chat: privateChatOf(customer.user), businessConnectionId: connectionId },
    input,
  );
}

/** The author edits a message: `edited_message`, or `edited_business_message` in a Business chat. */
export function editMessage(
  state: TelegramSandboxState,
  bot: SandboxBot,
  target: {
    readonly chatId: number;
    readonly messageId: number;
    readonly businessConnectionId?: string;
    readonly text: string;
  },
): TgUpdate {
  const message = chatMessages(state, bot.id, target.chatId, target.businessConnectionId).find(
    (m) => m.message_id === target.messageId,
  );
  if (!message) throw badRequest('message to edit not found');
  if (message.text !== undefined) message.text = target.text;
  else if (
    message.caption !== undefined ||
    message.photo ||
    message.document ||
    message.video ||
    message.audio ||
    message.voice
  )
    message.caption = target.text;
  else throw badRequest("message can't be edited");
  message.edit_date = nowSeconds();
  const edited: TgMessage = { ...message };
  const update = nextUpdate(
    state,
    target.businessConnectionId ? { edited_business_message: edited } : { edited_message: edited },
  );
  enqueueUpdate(state, bot, update);
  return update;
}

/** Messages deleted in a Business chat: `deleted_business_messages` (Telegram tells bots of no other deletions). */
export function deleteBusinessMessages(
  state: TelegramSandboxState,
  bot: SandboxBot,
  connectionId: string,
  chatId: number,
  messageIds: readonly number[],
): TgUpdate {
  enabledConnection(state, bot, connectionId);
  const messages = chatMessages(state, bot.id, chatId, connectionId);
  const deleted = messageIds.filter((id) => messages.some((m) => m.message_id === id));
  if (deleted.length === 0) throw badRequest('message to delete not found');
  // The chat keeps them: message ids are never reused, and the next id follows the last one stored.
  const customer = customerFor(state, { id: chatId });
  const update = nextUpdate(state, {
    deleted_business_messages: {
      business_connection_id: connectionId,
      chat: privateChatOf(customer.user),
      message_ids: deleted,
    },
  });
  enqueueUpdate(state, bot, update);
  return update;
}
