import type Database from 'better-sqlite3';
import {
  insertValues,
  pruneSql,
  summaryFromRow,
  SUMMARY_COLUMNS,
  type DeadLetterRow,
  type DeadLetterStore,
} from '../dead-letters-store.js';

export function sqliteDeadLetters(db: Database.Database): DeadLetterStore {
  const insert = db.prepare(`
    INSERT INTO dead_letters (id, source, type, received_type, event_id, reason, body, body_bytes, received_at, replay_attempts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO NOTHING`);
  const prune = db.prepare(pruneSql(['?', '?', '?']));
  const list = db.prepare<[number], DeadLetterRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM dead_letters ORDER BY received_at DESC, id DESC LIMIT ?`,
  );
  const get = db.prepare<[string], DeadLetterRow>(`SELECT ${SUMMARY_COLUMNS}, body FROM dead_letters WHERE id = ?`);
  const failed = db.prepare(
    'UPDATE dead_letters SET reason = ?, replay_attempts = replay_attempts + 1, last_replay_at = ? WHERE id = ?',
  );
  const drop = db.prepare('DELETE FROM dead_letters WHERE id = ?');
  return {
    async saveDeadLetter(letter) {
      insert.run(...insertValues(letter));
    },
    async pruneDeadLetters({ keep, maxBytes, receivedBefore }) {
      return prune.run(keep, maxBytes, receivedBefore).changes;
    },
    async listDeadLetters(limit) {
      return list.all(limit).map(summaryFromRow);
    },
    async getDeadLetter(id) {
      const row = get.get(id);
      return row && { ...summaryFromRow(row), body: row.body! };
    },
    async noteDeadLetterReplayFailed(id, reason, at) {
      failed.run(reason, at, id);
    },
    async deleteDeadLetter(id) {
      return drop.run(id).changes > 0;
    },
  };
}
