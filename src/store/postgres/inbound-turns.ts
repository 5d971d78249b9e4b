import type pg from 'pg';
import type { InboundTurn, InboundTurnStore } from '../inbound-types.js';
import { sentMs } from '../rows.js';
import { one, transaction, type Db } from './db.js';

const ORDER = 'ORDER BY sent_ms, queued_ms, message_key LIMIT 1';

function queue(db: Db, turn: InboundTurn, nowMs: number) {
  return db.query(
    'INSERT INTO inbound_turns (message_key, conversation_key, sent_ms, queued_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (message_key) DO NOTHING',
    [turn.messageKey, turn.conversationKey, sentMs(turn.sentAt, nowMs), nowMs],
  );
}

/** A transaction-scoped advisory lock per conversation serialises claims and finishes across processes. */
export function postgresInboundTurns(pool: pg.Pool): InboundTurnStore {
  const locked = <T>(conversationKey: string, fn: (client: pg.PoolClient) => Promise<T>) =>
    transaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`inbound-turns:${conversationKey}`]);
      return fn(client);
    });
  return {
    async queueInboundTurn(turn, nowMs) {
      await queue(pool, turn, nowMs);
    },
    claimInboundTurn: (turn, nowMs) =>
      locked(turn.conversationKey, async (client) => {
        await queue(client, turn, nowMs);
        const holder = await one<{ message_key: string }>(client, 'SELECT message_key FROM inbound_turns WHERE conversation_key = $1 AND active = 1 LIMIT 1', [turn.conversationKey]);
        if (holder) return holder.message_key === turn.messageKey;
        const first = await one<{ message_key: string }>(client, `SELECT message_key FROM inbound_turns WHERE conversation_key = $1 AND active = 0 ${ORDER}`, [turn.conversationKey]);
        if (first?.message_key !== turn.messageKey) return false;
        await client.query('UPDATE inbound_turns SET active = 1 WHERE message_key = $1', [turn.messageKey]);
        return true;
      }),
    finishInboundTurn: (conversationKey, messageKey) =>
      locked(conversationKey, async (client) => {
        await client.query('DELETE FROM inbound_turns WHERE message_key = $1', [messageKey]);
        return (await one<{ message_key: string }>(client, `SELECT message_key FROM inbound_turns WHERE conversation_key = $1 ${ORDER}`, [conversationKey]))?.message_key;
      }),
  };
}
