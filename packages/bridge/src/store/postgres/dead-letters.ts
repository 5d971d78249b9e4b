import {
  insertValues,
  pruneSql,
  summaryFromRow,
  SUMMARY_COLUMNS,
  type DeadLetterRow,
  type DeadLetterStore,
} from '../dead-letters-store.js';
import { one, type Db } from './db.js';

export function postgresDeadLetters(db: Db): DeadLetterStore {
  return {
    async saveDeadLetter(letter) {
      await db.query(
        `INSERT INTO dead_letters (id, source, type, received_type, event_id, reason, body, body_bytes, received_at, replay_attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0) ON CONFLICT (id) DO NOTHING`,
        [...insertValues(letter)],
      );
    },
    async pruneDeadLetters({ keep, maxBytes, receivedBefore }) {
      return (await db.query(pruneSql(['$1', '$2', '$3']), [keep, maxBytes, receivedBefore])).rowCount ?? 0;
    },
    async listDeadLetters(limit) {
      return (
        await db.query<DeadLetterRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM dead_letters ORDER BY received_at DESC, id DESC LIMIT $1`,
          [limit],
        )
      ).rows.map(summaryFromRow);
    },
    async getDeadLetter(id) {
      const row = await one<DeadLetterRow>(db, `SELECT ${SUMMARY_COLUMNS}, body FROM dead_letters WHERE id = $1`, [id]);
      return row && { ...summaryFromRow(row), body: row.body! };
    },
    async noteDeadLetterReplayFailed(id, reason, at) {
      await db.query(
        'UPDATE dead_letters SET reason = $1, replay_attempts = replay_attempts + 1, last_replay_at = $2 WHERE id = $3',
        [reason, at, id],
      );
    },
    async deleteDeadLetter(id) {
      return ((await db.query('DELETE FROM dead_letters WHERE id = $1', [id])).rowCount ?? 0) > 0;
    },
  };
}
