import { createHash } from 'node:crypto';
import type pg from 'pg';
import { conversationKey, type AccountId } from '../../domain/ids.js';
import {
  canonicalOf,
  distinctChatIds,
  firstCanonical,
  type ChatAliasRow,
  type ChatAliasStore,
} from '../chat-aliases.js';
import { transaction, type Db } from './db.js';

// The first key of the two-key advisory locks taken here (a key space apart from the migration lock's one-key space).
const CHAT_ALIAS_LOCK = 12;

/**
 * One 32-bit lock key per id, sorted, so transactions locking overlapping ids take them in one order and never
 * deadlock.
 */
function lockKeys(accountId: string, ids: readonly string[]): number[] {
  const keys = ids.map((id) => createHash('sha256').update(`${accountId}\u0000${id}`).digest().readInt32BE(0));
  return [...new Set(keys)].sort((a, b) => a - b);
}

async function rowsOf(db: Db, accountId: string, ids: readonly string[]): Promise<ChatAliasRow[]> {
  const { rows } = await db.query<ChatAliasRow>(
    'SELECT chat_id, canonical_chat_id, created_ms FROM chat_aliases WHERE account_id = $1 AND chat_id = ANY($2::text[])',
    [accountId, ids],
  );
  return rows;
}

async function conversationKeys(db: Db, accountId: string, ids: readonly string[]): Promise<Set<string>> {
  const keys = ids.map((id) => conversationKey(accountId as AccountId, id));
  const { rows } = await db.query<{ conversation_key: string }>(
    'SELECT conversation_key FROM conversations WHERE conversation_key = ANY($1::text[])',
    [keys],
  );
  return new Set(rows.map((r) => r.conversation_key));
}

export function postgresChatAliases(pool: pg.Pool): ChatAliasStore {
  return {
    async resolveChatId(accountId, chatIds, nowMs) {
      const ids = distinctChatIds(chatIds);
      const known = await rowsOf(pool, accountId, ids);
      // Rows never change once written, so a customer whose every id is recorded needs no write.
      if (known.length === ids.length) return canonicalOf(known, ids)!;
      return transaction(pool, async (client) => {
        // Per-id locks, held to the commit: a message naming any of these ids waits, then reads what this one wrote.
        for (const key of lockKeys(accountId, ids))
          await client.query('SELECT pg_advisory_xact_lock($1, $2)', [CHAT_ALIAS_LOCK, key]);
        const rows = await rowsOf(client, accountId, ids);
        const existing = rows.length > 0 ? new Set<string>() : await conversationKeys(client, accountId, ids);
        const canonical = canonicalOf(rows, ids) ?? firstCanonical(accountId, ids, (key) => existing.has(key));
        await client.query(
          `INSERT INTO chat_aliases (account_id, chat_id, canonical_chat_id, created_ms)
           SELECT $1, id, $3, $4 FROM unnest($2::text[]) AS id ON CONFLICT (account_id, chat_id) DO NOTHING`,
          [accountId, ids, canonical, nowMs],
        );
        return canonicalOf(await rowsOf(client, accountId, ids), ids)!;
      });
    },
  };
}
