import type Database from 'better-sqlite3';
import {
  canonicalOf,
  distinctChatIds,
  firstCanonical,
  type ChatAliasRow,
  type ChatAliasStore,
} from '../chat-aliases.js';

export function sqliteChatAliases(db: Database.Database): ChatAliasStore {
  const select = db.prepare<[string, string], ChatAliasRow>(
    'SELECT chat_id, canonical_chat_id, created_ms FROM chat_aliases WHERE account_id = ? AND chat_id = ?',
  );
  const insert = db.prepare(
    'INSERT INTO chat_aliases (account_id, chat_id, canonical_chat_id, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, chat_id) DO NOTHING',
  );
  const conversation = db.prepare<[string], { found: number }>(
    'SELECT 1 AS found FROM conversations WHERE conversation_key = ?',
  );
  const rowsOf = (accountId: string, ids: readonly string[]) => ids.flatMap((id) => select.all(accountId, id));

  const record = db.transaction((accountId: string, ids: readonly string[], nowMs: number): string => {
    const canonical =
      canonicalOf(rowsOf(accountId, ids), ids) ??
      firstCanonical(accountId, ids, (key) => conversation.get(key) !== undefined);
    for (const id of ids) insert.run(accountId, id, canonical, nowMs);
    return canonicalOf(rowsOf(accountId, ids), ids)!;
  });

  return {
    async resolveChatId(accountId, chatIds, nowMs) {
      const ids = distinctChatIds(chatIds);
      const known = rowsOf(accountId, ids);
      // Rows never change once written, so a customer whose every id is recorded needs no write.
      if (known.length === ids.length) return canonicalOf(known, ids)!;
      // IMMEDIATE takes the write lock before the reads, so another process's record of the same ids waits for this
      // one.
      return record.immediate(accountId, ids, nowMs);
    },
  };
}
