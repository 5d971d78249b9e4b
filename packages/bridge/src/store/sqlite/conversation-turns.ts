import type Database from 'better-sqlite3';
import type { InboundTurn, InboundTurnStore } from '../inbound-types.js';
import { sentMs } from '../rows.js';
import {
  accountHoldKey,
  EVERYONE_HOLD_KEY,
  type LineTurn,
  type SequencerStore,
  type StartOutbox,
  type TurnClaim,
  type UnstartedTurn,
} from '../sequencer-types.js';

type Row = { message_key: string };
type FirstRow = Row & { in_step_until_ms: number | null };

/**
 * The sequencer's lines and catch-up holds. `BEGIN IMMEDIATE` takes the write lock before reading, so two processes
 * never both take a line's turn. The inbound-named functions are the same lines, kept for runs that started before
 * the sequencer (their conversation key is their line key).
 */
export function sqliteConversationTurns(db: Database.Database): SequencerStore & InboundTurnStore & StartOutbox {
  const insert = db.prepare<[string, string, number, number, string | null]>(
    'INSERT INTO conversation_turns (message_key, conversation_key, sent_ms, queued_ms, pending_start) VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_key) DO NOTHING',
  );
  const holder = db.prepare<[string], Row>(
    'SELECT message_key FROM conversation_turns WHERE conversation_key = ? AND active = 1 LIMIT 1',
  );
  const first = db.prepare<[string], FirstRow>(
    'SELECT message_key, in_step_until_ms FROM conversation_turns WHERE conversation_key = ? ORDER BY sent_ms, queued_ms, message_key LIMIT 1',
  );
  // Both updates come with a message's first claim: its workflow runs, so its pending start is done.
  const markInStep = db.prepare<[number | null, string]>(
    'UPDATE conversation_turns SET in_step_until_ms = ?, pending_start = NULL WHERE message_key = ?',
  );
  const firstWaiting = db.prepare<[string], Row>(
    'SELECT message_key FROM conversation_turns WHERE conversation_key = ? AND active = 0 ORDER BY sent_ms, queued_ms, message_key LIMIT 1',
  );
  const activate = db.prepare<[string]>(
    'UPDATE conversation_turns SET active = 1, pending_start = NULL WHERE message_key = ?',
  );
  const unstarted = db.prepare<
    [number, number],
    { conversation_key: string; message_key: string; pending_start: string; queued_ms: number }
  >(
    'SELECT conversation_key, message_key, pending_start, queued_ms FROM conversation_turns WHERE pending_start IS NOT NULL AND queued_ms < ? ORDER BY queued_ms LIMIT ?',
  );
  const forgetStart = db.prepare<[string]>('UPDATE conversation_turns SET pending_start = NULL WHERE message_key = ?');
  const remove = db.prepare<[string]>('DELETE FROM conversation_turns WHERE message_key = ?');
  const removeStarted = db.prepare<[string]>(
    'DELETE FROM conversation_turns WHERE message_key = ? AND pending_start IS NULL',
  );
  const holdUntil = db.prepare<[string, string, string, number], { until: number | null }>(
    'SELECT MAX(hold_until_ms) AS until FROM catch_up_holds WHERE hold_key IN (?, ?, ?) AND hold_until_ms > ?',
  );
  const hold = db.prepare<[string, number]>(
    'INSERT INTO catch_up_holds (hold_key, hold_until_ms) VALUES (?, ?) ON CONFLICT (hold_key) DO UPDATE SET hold_until_ms = MAX(catch_up_holds.hold_until_ms, excluded.hold_until_ms)',
  );
  const dropExpired = db.prepare<[number]>('DELETE FROM catch_up_holds WHERE hold_until_ms <= ?');

  const queue = (lineKey: string, messageKey: string, orderAt: string, nowMs: number, pendingStart?: string) =>
    insert.run(messageKey, lineKey, sentMs(orderAt, nowMs), nowMs, pendingStart ?? null);
  /** Takes the turn when it is free and this message is first; a holder asking again keeps it. */
  const take = (lineKey: string, messageKey: string): boolean => {
    const current = holder.get(lineKey);
    if (current) return current.message_key === messageKey;
    if (firstWaiting.get(lineKey)?.message_key !== messageKey) return false;
    activate.run(messageKey);
    return true;
  };
  const claimLegacy = db.transaction((turn: InboundTurn, nowMs: number): boolean => {
    queue(turn.conversationKey, turn.messageKey, turn.sentAt, nowMs);
    return take(turn.conversationKey, turn.messageKey);
  });
  const decide = (turn: LineTurn, nowMs: number): TurnClaim => {
    // The holder keeps its turn through a catch-up; only a new claim waits for the stragglers.
    if (holder.get(turn.lineKey)?.message_key === turn.messageKey) return { granted: true };
    const until = holdUntil.get(turn.lineKey, accountHoldKey(turn.accountId), EVERYONE_HOLD_KEY, nowMs)?.until;
    if (until) return { granted: false, holdUntilMs: until };
    return take(turn.lineKey, turn.messageKey) ? { granted: true } : { granted: false };
  };
  const claim = db.transaction((turn: LineTurn, nowMs: number, inStepUntilMs?: number): TurnClaim => {
    queue(turn.lineKey, turn.messageKey, turn.orderAt, nowMs);
    const answer = decide(turn, nowMs);
    if (answer.granted) return answer;
    // Waiting: in its step until then (polling) when it is next in line, else durably (for the wake-up; during a hold,
    // until it ends).
    const inStep =
      answer.holdUntilMs === undefined &&
      inStepUntilMs !== undefined &&
      firstWaiting.get(turn.lineKey)?.message_key === turn.messageKey;
    markInStep.run(inStep ? inStepUntilMs : null, turn.messageKey);
    return inStep ? { ...answer, inStep } : answer;
  });
  /** The message to wake: first in line, unless it waits inside its step (it takes the turn itself). */
  const nextToWake = (lineKey: string, nowMs: number): string | undefined => {
    const next = first.get(lineKey);
    return next && (next.in_step_until_ms ?? 0) <= nowMs ? next.message_key : undefined;
  };
  const finish = db.transaction((lineKey: string, messageKey: string, nowMs: number): string | undefined => {
    remove.run(messageKey);
    return nextToWake(lineKey, nowMs);
  });
  const takeOut = db.transaction((lineKey: string, messageKey: string, nowMs: number): string | undefined =>
    removeStarted.run(messageKey).changes > 0 ? nextToWake(lineKey, nowMs) : undefined,
  );
  const holdAll = db.transaction((keys: readonly string[], untilMs: number, nowMs: number) => {
    dropExpired.run(nowMs);
    for (const key of keys) hold.run(key, untilMs);
  });

  return {
    async queueTurn(turn, nowMs, pendingStart) {
      return queue(turn.lineKey, turn.messageKey, turn.orderAt, nowMs, pendingStart).changes > 0;
    },
    async unstartedTurns(queuedBeforeMs, limit): Promise<UnstartedTurn[]> {
      return unstarted.all(queuedBeforeMs, limit).map((row) => ({
        lineKey: row.conversation_key,
        messageKey: row.message_key,
        pendingStart: row.pending_start,
        queuedMs: row.queued_ms,
      }));
    },
    async forgetPendingStart(messageKey) {
      forgetStart.run(messageKey);
    },
    async claimTurn(turn, nowMs, inStepUntilMs) {
      return claim.immediate(turn, nowMs, inStepUntilMs);
    },
    async finishTurn(lineKey, messageKey, nowMs = Date.now()) {
      return finish.immediate(lineKey, messageKey, nowMs);
    },
    async takeOutOfLine(lineKey, messageKey, nowMs = Date.now()) {
      return takeOut.immediate(lineKey, messageKey, nowMs);
    },
    async holdLines(keys, untilMs, nowMs) {
      holdAll.immediate(keys, untilMs, nowMs);
    },
    async queueInboundTurn(turn, nowMs) {
      queue(turn.conversationKey, turn.messageKey, turn.sentAt, nowMs);
    },
    async claimInboundTurn(turn, nowMs) {
      return claimLegacy.immediate(turn, nowMs);
    },
    async finishInboundTurn(conversationKey, messageKey) {
      return finish.immediate(conversationKey, messageKey, Date.now());
    },
  };
}
