import type Database from 'better-sqlite3';
import type { StagedMedia, StagedMediaStore } from '../inbound-types.js';

interface StagedRow {
  content_type: string | null;
  filename: string | null;
  bytes: Buffer;
}

/** Inline media is at most 256 KiB per item (docs/GENERIC_PROVIDER.md), so a BLOB row is fine. */
export function sqliteStagedMedia(db: Database.Database): StagedMediaStore {
  const insert = db.prepare(`
    INSERT INTO staged_media (message_key, item, content_type, filename, bytes, created_at)
    VALUES (@message_key, @item, @content_type, @filename, @bytes, @created_at)
    ON CONFLICT (message_key, item) DO NOTHING`);
  const select = db.prepare<[string, number], StagedRow>(
    'SELECT content_type, filename, bytes FROM staged_media WHERE message_key = ? AND item = ?',
  );
  const drop = db.prepare<[string]>('DELETE FROM staged_media WHERE message_key = ?');
  // substr, not LIKE: a key prefix may hold LIKE's wildcards. created_at is ISO 8601, so text order is time order.
  const dropBefore = db.prepare<[string, string, string]>(
    'DELETE FROM staged_media WHERE substr(message_key, 1, length(?)) = ? AND created_at < ?',
  );
  return {
    async stageMedia(messageKey, item, media: StagedMedia) {
      insert.run({
        message_key: messageKey,
        item,
        content_type: media.contentType ?? null,
        filename: media.filename ?? null,
        bytes: media.bytes,
        created_at: new Date().toISOString(),
      });
    },
    async getStagedMedia(messageKey, item) {
      const row = select.get(messageKey, item);
      return (
        row && { contentType: row.content_type ?? undefined, filename: row.filename ?? undefined, bytes: row.bytes }
      );
    },
    async dropStagedMedia(messageKey) {
      drop.run(messageKey);
    },
    async dropStagedMediaBefore(keyPrefix, before) {
      return dropBefore.run(keyPrefix, keyPrefix, before.toISOString()).changes;
    },
  };
}
