import type pg from 'pg';
import type { InboundTurnStore } from '../inbound-types.js';
import { sentMs } from '../rows.js';
import {
  accountHoldKey,
  EVERYONE_HOLD_KEY,
  type SequencerStore,
  type StartOutbox,
  type UnstartedTurn,
} from '../sequencer-types.js';
import { one, transaction, type Db } from './db.js';

const ORDER = 'ORDER BY sent_ms, queued_ms, message_key LIMIT 1';

function queue(db: Db, lineKey: string, messageKey: string, orderAt: string, nowMs: number, pendingStart?: string) {
  return db.query(
    'INSERT INTO conversation_turns (message_key, conversation_key, sent_ms, queued_ms, pending_start) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (message_key) DO NOTHING',
    [messageKey, lineKey, sentMs(orderAt, nowMs), nowMs, pendingStart ?? null],
  );
}

const holderOf = (client: pg.PoolClient, lineKey: string) =>
  one<{ message_key: string }>(
    client,
    'SELECT message_key FROM conversation_turns WHERE conversation_key = $1 AND active = 1 LIMIT 1',
    [lineKey],
  );

/** The message first among those waiting in the line (not holding its turn). */
const firstWaiting = async (client: pg.PoolClient, lineKey: string) =>
  (
    await one<{ message_key: string }>(
      client,
      `SELECT message_key FROM conversation_turns WHERE conversation_key = $1 AND active = 0 ${ORDER}`,
      [lineKey],
    )
  )?.message_key;

/** Takes the turn when it is free and this message is first; a holder asking again keeps it. */
async function take(client: pg.PoolClient, lineKey: string, messageKey: string): Promise<boolean> {
  const holder = await holderOf(client, lineKey);
  if (holder) return holder.message_key === messageKey;
  if ((await firstWaiting(client, lineKey)) !== messageKey) return false;
  // Its first claim: the workflow runs, so its pending start is done.
  await client.query('UPDATE conversation_turns SET active = 1, pending_start = NULL WHERE message_key = $1', [
    messageKey,
  ]);
  return true;
}

/**
 * The sequencer's lines and catch-up holds. A transaction-scoped advisory lock per line serialises claims and
 * finishes across processes. The inbound-named functions are the same lines, kept for runs that started before the
 * sequencer (their conversation key is their line key).
 */
export function postgresConversationTurns(pool: pg.Pool): SequencerStore & InboundTurnStore & StartOutbox {
  const locked = <T>(lineKey: string, fn: (client: pg.PoolClient) => Promise<T>) =>
    transaction(pool, async (client) => {
      // The same lock name as before the sequencer, so old and new code never both hold a line during an upgrade.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`inbound-turns:${lineKey}`]);
      return fn(client);
    });
  /** Removes the message's place (with `onlyStarted`, only when no start is kept with it), then names who to wake. */
  const leave = (lineKey: string, messageKey: string, nowMs: number, onlyStarted: boolean) =>
    locked(lineKey, async (client) => {
      const removed = await client.query(
        `DELETE FROM conversation_turns WHERE message_key = $1${onlyStarted ? ' AND pending_start IS NULL' : ''}`,
        [messageKey],
      );
      if (onlyStarted && !removed.rowCount) return undefined;
      const next = await one<{ message_key: string; in_step_until_ms: string | null }>(
        client,
        `SELECT message_key, in_step_until_ms FROM conversation_turns WHERE conversation_key = $1 ${ORDER}`,
        [lineKey],
      );
      // A message waiting inside its step takes the turn itself (BIGINT comes back as a string).
      return next && Number(next.in_step_until_ms ?? 0) <= nowMs ? next.message_key : undefined;
    });
  const finish = (lineKey: string, messageKey: string, nowMs = Date.now()) => leave(lineKey, messageKey, nowMs, false);
  return {
    async queueTurn(turn, nowMs, pendingStart) {
      return ((await queue(pool, turn.lineKey, turn.messageKey, turn.orderAt, nowMs, pendingStart)).rowCount ?? 0) > 0;
    },
    async unstartedTurns(queuedBeforeMs, limit): Promise<UnstartedTurn[]> {
      const { rows } = await pool.query<{
        conversation_key: string;
        message_key: string;
        pending_start: string;
        queued_ms: string;
      }>(
        'SELECT conversation_key, message_key, pending_start, queued_ms FROM conversation_turns WHERE pending_start IS NOT NULL AND queued_ms < $1 ORDER BY queued_ms LIMIT $2',
        [queuedBeforeMs, limit],
      );
      // BIGINT comes back as a string.
      return rows.map((row) => ({
        lineKey: row.conversation_key,
        messageKey: row.message_key,
        pendingStart: row.pending_start,
        queuedMs: Number(row.queued_ms),
      }));
    },
    async forgetPendingStart(messageKey) {
      await pool.query('UPDATE conversation_turns SET pending_start = NULL WHERE message_key = $1', [messageKey]);
    },
    claimTurn: (turn, nowMs, inStepUntilMs) =>
      locked(turn.lineKey, async (client) => {
        await queue(client, turn.lineKey, turn.messageKey, turn.orderAt, nowMs);
        // The holder keeps its turn through a catch-up; only a new claim waits for the stragglers.
        if ((await holderOf(client, turn.lineKey))?.message_key === turn.messageKey) return { granted: true };
        const waiting = (until: number | null) =>
          client.query(
            'UPDATE conversation_turns SET in_step_until_ms = $1, pending_start = NULL WHERE message_key = $2',
            [until, turn.messageKey],
          );
        const hold = await one<{ until: string | null }>(
          client,
          'SELECT MAX(hold_until_ms) AS until FROM catch_up_holds WHERE hold_key IN ($1, $2, $3) AND hold_until_ms > $4',
          [turn.lineKey, accountHoldKey(turn.accountId), EVERYONE_HOLD_KEY, nowMs],
        );
        // BIGINT comes back as a string.
        if (hold?.until) {
          await waiting(null);
          return { granted: false, holdUntilMs: Number(hold.until) };
        }
        if (await take(client, turn.lineKey, turn.messageKey)) return { granted: true };
        // Waiting: in its step until then (polling) when it is next in line, else durably (for the wake-up).
        const inStep = inStepUntilMs !== undefined && (await firstWaiting(client, turn.lineKey)) === turn.messageKey;
        await waiting(inStep ? inStepUntilMs : null);
        return inStep ? { granted: false, inStep } : { granted: false };
      }),
    finishTurn: finish,
    takeOutOfLine: (lineKey, messageKey, nowMs = Date.now()) => leave(lineKey, messageKey, nowMs, true),
    async holdLines(keys, untilMs, nowMs) {
      await transaction(pool, async (client) => {
        await client.query('DELETE FROM catch_up_holds WHERE hold_until_ms <= $1', [nowMs]);
        for (const key of keys) {
          await client.query(
            'INSERT INTO catch_up_holds (hold_key, hold_until_ms) VALUES ($1, $2) ON CONFLICT (hold_key) DO UPDATE SET hold_until_ms = GREATEST(catch_up_holds.hold_until_ms, excluded.hold_until_ms)',
            [key, untilMs],
          );
        }
      });
    },
    async queueInboundTurn(turn, nowMs) {
      await queue(pool, turn.conversationKey, turn.messageKey, turn.sentAt, nowMs);
    },
    claimInboundTurn: (turn, nowMs) =>
      locked(turn.conversationKey, async (client) => {
        await queue(client, turn.conversationKey, turn.messageKey, turn.sentAt, nowMs);
        return take(client, turn.conversationKey, turn.messageKey);
      }),
    finishInboundTurn: finish,
  };
}
