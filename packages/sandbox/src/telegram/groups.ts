import { customerFor, nextUpdate, postMessage, type CustomerMessageInput } from './customer.js';
import {
  chatMessages,
  nextMessageId,
  nowSeconds,
  type SandboxBot,
  type SandboxGroup,
  type TelegramSandboxState,
} from './state.js';
import { enqueueUpdate } from './webhook-delivery.js';
import { badRequest, type TgChat, type TgMessage, type TgUpdate } from './wire.js';

/**
 * Groups, supergroups and forums with the bot in them. Ids follow Telegram's ranges [INFERRED from
 * observed ids]: basic groups are small negative numbers, supergroups -100 followed by the channel id.
 */

export interface GroupInput {
  readonly title: string;
  readonly type?: 'group' | 'supergroup';
  /** A forum: a supergroup whose messages live in topics. */
  readonly isForum?: boolean;
  /** Customers in the group; the first one adds the bot. Created like any customer on first use. */
  readonly memberIds: readonly number[];
}

function groupId(state: TelegramSandboxState, type: 'group' | 'supergroup'): number {
  const n = state.groups.size + 1;
  return type === 'group' ? -(4_081_000_000 + n) : -(1_002_100_000_000 + n);
}

/** The bot joins a new group: Telegram tells it with `my_chat_member` (left → member). */
export function createGroup(
  state: TelegramSandboxState,
  bot: SandboxBot,
  input: GroupInput,
): { group: SandboxGroup; update: TgUpdate } {
  const type = input.isForum ? 'supergroup' : (input.type ?? 'supergroup');
  if (input.memberIds.length === 0) throw badRequest('a group needs at least one member');
  const chat: TgChat = {
    id: groupId(state, type),
    title: input.title,
    type,
    ...(input.isForum ? { is_forum: true as const } : {}),
  };
  const members = input.memberIds.map((id) => customerFor(state, { id }).user);
  const group: SandboxGroup = { botId: bot.id, chat, members: new Set(members.map((m) => m.id)), topics: new Map() };
  state.groups.set(chat.id, group);
  chatMessages(state, bot.id, chat.id);
  const update = nextUpdate(state, {
    my_chat_member: {
      chat,
      from: members[0]!,
      date: nowSeconds(),
      old_chat_member: { status: 'left', user: bot.user },
      new_chat_member: { status: 'member', user: bot.user },
    },
  });
  enqueueUpdate(state, bot, update);
  return { group, update };
}

export function groupOf(state: TelegramSandboxState, bot: SandboxBot, chatId: number): SandboxGroup {
  const group = state.groups.get(chatId);
  if (!group || group.botId !== bot.id) throw badRequest('chat not found');
  return group;
}

function member(state: TelegramSandboxState, group: SandboxGroup, userId: number | undefined) {
  const id = userId ?? [...group.members][0]!;
  if (!group.members.has(id)) throw badRequest(`user ${id} is not a member of the chat`);
  return customerFor(state, { id }).user;
}

/** A member opens a topic in a forum: a service message whose id becomes the topic's `message_thread_id`. */
export function createTopic(
  state: TelegramSandboxState,
  bot: SandboxBot,
  chatId: number,
  name: string,
  userId?: number,
): { messageThreadId: number; update: TgUpdate } {
  const group = groupOf(state, bot, chatId);
  if (!group.chat.is_forum) throw badRequest('the chat is not a forum');
  const messageId = nextMessageId(state, bot.id, chatId);
  const message: TgMessage = {
    message_id: messageId,
    message_thread_id: messageId,
    from: member(state, group, userId),
    chat: group.chat,
    date: nowSeconds(),
    is_topic_message: true,
    forum_topic_created: { name, icon_color: 7_322_096 },
  };
  chatMessages(state, bot.id, chatId).push(message);
  group.topics.set(messageId, name);
  const update = nextUpdate(state, { message });
  enqueueUpdate(state, bot, update);
  return { messageThreadId: messageId, update };
}

/** A member writes in the group, or in one topic of a forum (`messageThreadId`). */
export function memberSends(
  state: TelegramSandboxState,
  bot: SandboxBot,
  chatId: number,
  input: CustomerMessageInput & { readonly messageThreadId?: number },
): TgUpdate {
  const group = groupOf(state, bot, chatId);
  if (input.messageThreadId !== undefined && !group.topics.has(input.messageThreadId))
    throw badRequest('message thread not found');
  return postMessage(
    state,
    bot,
    member(state, group, input.from?.id),
    { chat: group.chat, messageThreadId: input.messageThreadId },
    input,
  );
}
