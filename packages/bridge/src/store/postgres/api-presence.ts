import type pg from 'pg';
import type { ApiPresenceStore } from '../api-presence-store.js';
import { one } from './db.js';

export function postgresApiPresence(pool: pg.Pool): ApiPresenceStore {
  return {
    async markApiAlive(ms) {
      await pool.query(
        `INSERT INTO api_presence (id, seen_ms) VALUES ('api', $1) ON CONFLICT (id) DO UPDATE SET seen_ms = GREATEST(api_presence.seen_ms, excluded.seen_ms)`,
        [ms],
      );
    },
    async apiLastAlive() {
      return (await one<{ seen_ms: number }>(pool, `SELECT seen_ms FROM api_presence WHERE id = 'api'`))?.seen_ms;
    },
  };
}
