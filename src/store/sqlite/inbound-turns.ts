import type Database from 'better-sqlite3';
import type { InboundTurn, InboundTurnStore } from '../inbound-types.js';
import { sentMs } from '../rows.js';

type Row = { message_key: string; active: number };

/** `BEGIN IMMEDIATE` takes the write lock before reading, so two processes never both take a conversation's turn. */
export function sqliteInboundTurns(db: Database.Database): InboundTurnStore {
  const insert = db.prepare<[string, string, number, number]>(
    'INSERT INTO inbound_turns (message_key, conversation_key, sent_ms, queued_ms) VALUES (?, ?, ?, ?) ON CONFLICT (message_key) DO NOTHING',
  );
  const holder = db.prepare<[string], Row>('SELECT message_key, active FROM inbound_turns WHERE conversation_key = ? AND active = 1 LIMIT 1');
  const first = db.prepare<[string], Row>(
    'SELECT message_key, active FROM inbound_turns WHERE conversation_key = ? ORDER BY sent_ms, queued_ms, message_key LIMIT 1',
  );
  const firstWaiting = db.prepare<[string], Row>(
    'SELECT message_key, active FROM inbound_turns WHERE conversation_key = ? AND active = 0 ORDER BY sent_ms, queued_ms, message_key LIMIT 1',
  );
  const activate = db.prepare<[string]>('UPDATE inbound_turns SET active = 1 WHERE message_key = ?');
  const remove = db.prepare<[string]>('DELETE FROM inbound_turns WHERE message_key = ?');

  const queue = (turn: InboundTurn, nowMs: number) => insert.run(turn.messageKey, turn.conversationKey, sentMs(turn.sentAt, nowMs), nowMs);
  const claim = db.transaction((turn: InboundTurn, nowMs: number): boolean => {
    queue(turn, nowMs);
    const current = holder.get(turn.conversationKey);
    if (current) return current.message_key === turn.messageKey;
    if (firstWaiting.get(turn.conversationKey)?.message_key !== turn.messageKey) return false;
    activate.run(turn.messageKey);
    return true;
  });
  const finish = db.transaction((conversationKey: string, messageKey: string): string | undefined => {
    remove.run(messageKey);
    return first.get(conversationKey)?.message_key;
  });
  return {
    async queueInboundTurn(turn, nowMs) {
      queue(turn, nowMs);
    },
    async claimInboundTurn(turn, nowMs) {
      return claim.immediate(turn, nowMs);
    },
    async finishInboundTurn(conversationKey, messageKey) {
      return finish.immediate(conversationKey, messageKey);
    },
  };
}
