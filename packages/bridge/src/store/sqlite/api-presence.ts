import type Database from 'better-sqlite3';
import type { ApiPresenceStore } from '../api-presence-store.js';

// Kept for importers outside the store (src/api/catch-up.ts); new code imports ../api-presence-store.js.
export type { ApiPresenceStore } from '../api-presence-store.js';

export function sqliteApiPresence(db: Database.Database): ApiPresenceStore {
  const mark = db.prepare(
    `INSERT INTO api_presence (id, seen_ms) VALUES ('api', ?) ON CONFLICT (id) DO UPDATE SET seen_ms = MAX(api_presence.seen_ms, excluded.seen_ms)`,
  );
  const read = db.prepare<[], { seen_ms: number }>(`SELECT seen_ms FROM api_presence WHERE id = 'api'`);
  return {
    async markApiAlive(ms) {
      mark.run(ms);
    },
    async apiLastAlive() {
      return read.get()?.seen_ms;
    },
  };
}
