import type { StagedMediaStore } from '../inbound-types.js';
import { one, type Db } from './db.js';

export function postgresStagedMedia(db: Db): StagedMediaStore {
  return {
    async stageMedia(messageKey, item, media) {
      await db.query(
        `INSERT INTO staged_media (message_key, item, content_type, filename, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (message_key, item) DO NOTHING`,
        [messageKey, item, media.contentType ?? null, media.filename ?? null, media.bytes, new Date().toISOString()],
      );
    },
    async getStagedMedia(messageKey, item) {
      const row = await one<{ content_type: string | null; filename: string | null; bytes: Buffer }>(
        db,
        'SELECT content_type, filename, bytes FROM staged_media WHERE message_key = $1 AND item = $2',
        [messageKey, item],
      );
      return (
        row && { contentType: row.content_type ?? undefined, filename: row.filename ?? undefined, bytes: row.bytes }
      );
    },
    async dropStagedMedia(messageKey) {
      await db.query('DELETE FROM staged_media WHERE message_key = $1', [messageKey]);
    },
    async dropStagedMediaBefore(keyPrefix, before) {
      // left(), not LIKE: a key prefix may hold LIKE's wildcards. created_at is ISO 8601 text, so text order is time
      // order.
      const result = await db.query(
        'DELETE FROM staged_media WHERE left(message_key, length($1::text)) = $1::text AND created_at < $2',
        [keyPrefix, before.toISOString()],
      );
      return result.rowCount ?? 0;
    },
  };
}
