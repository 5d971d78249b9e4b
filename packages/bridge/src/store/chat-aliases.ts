import { conversationKey, type AccountId } from '../domain/ids.js';

/**
 * The ids one customer reaches an account by, and the one their conversation is keyed by: a customer may come by phone
 * number one day and by a provider-scoped user id the next, and must still find one thread.
 */
export interface ChatAliasStore {
  /**
   * The chat id the conversation of a message is keyed by. `chatIds` are the ids the message names its customer by, its
   * own chat id first. Every id not recorded before is recorded as this customer's, so a later message that names any
   * one of them finds the same conversation. The first id a customer was seen by stays theirs: an id already recorded
   * wins over a new one (the oldest record when two were); with none recorded, an id that already has a conversation
   * (threads begun before this record existed), else the message's own chat id. Two messages recorded at once agree:
   * the write is serialised per id, inserted if absent, then read back. A record is never changed afterwards.
   *
   * Called by the api before the message's workflow starts, for messages whose provider reports alternate ids.
   */
  resolveChatId(accountId: string, chatIds: readonly string[], nowMs: number): Promise<string>;
}

/** One `chat_aliases` row, as both backends read it. */
export interface ChatAliasRow {
  readonly chat_id: string;
  readonly canonical_chat_id: string;
  readonly created_ms: number;
}

/** The ids in the order given, each once; throws when none is left, a caller's bug. */
export function distinctChatIds(chatIds: readonly string[]): string[] {
  const ids = [...new Set(chatIds.filter((id) => id !== ''))];
  if (ids.length === 0) throw new TypeError('resolveChatId needs at least one chat id');
  return ids;
}

/**
 * The canonical id the recorded ids point at; when they point at two (recorded apart, then named together), the oldest
 * record's.
 */
export function canonicalOf(rows: readonly ChatAliasRow[], chatIds: readonly string[]): string | undefined {
  let oldest: ChatAliasRow | undefined;
  for (const id of chatIds) {
    const row = rows.find((r) => r.chat_id === id);
    if (row && (!oldest || row.created_ms < oldest.created_ms)) oldest = row;
  }
  return oldest?.canonical_chat_id;
}

/** For a customer seen for the first time: an id whose conversation already exists, else the message's own chat id. */
export function firstCanonical(
  accountId: string,
  chatIds: readonly string[],
  hasConversation: (key: string) => boolean,
): string {
  return chatIds.find((id) => hasConversation(conversationKey(accountId as AccountId, id))) ?? chatIds[0]!;
}
