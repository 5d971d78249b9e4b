import type Database from 'better-sqlite3';

/** One row for all api processes: the last time any of them was alive. */
export interface ApiPresenceStore {
  /** Records that an api is alive at `ms`; never moves the time back. */
  markApiAlive(ms: number): Promise<void>;
  /** When an api was last alive; undefined before the first api ever ran on this store. */
  apiLastAlive(): Promise<number | undefined>;
}

export function sqliteApiPresence(db: Database.Database): ApiPresenceStore {
  const mark = db.prepare(`INSERT INTO api_presence (id, seen_ms) VALUES ('api', ?) ON CONFLICT (id) DO UPDATE SET seen_ms = MAX(api_presence.seen_ms, excluded.seen_ms)`);
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
