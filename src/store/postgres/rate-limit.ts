import type pg from 'pg';
import type { CallSlotStore } from '../inbound-types.js';
import { transaction } from './db.js';

/**
 * The same rolling-window log as SQLite's, shared by every process on the database. A transaction-scoped
 * advisory lock on the key serialises takers of one portal, so two workers never both take the last slot.
 * A hold (after a 429) is read under the same lock, so no slot is handed out while it lasts.
 */
export function postgresCallSlots(pool: pg.Pool): CallSlotStore {
  return {
    takeCallSlot: (key, max, intervalMs, nowMs) =>
      transaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`call-slots:${key}`]);
        const hold = (await client.query<{ until_ms: number }>('SELECT until_ms FROM hubspot_call_holds WHERE portal_id = $1', [key])).rows[0];
        if (hold && hold.until_ms > nowMs) return hold.until_ms - nowMs;
        await client.query('DELETE FROM hubspot_call_slots WHERE portal_id = $1 AND at_ms <= $2', [key, nowMs - intervalMs]);
        const { n, oldest } = (await client.query<{ n: number; oldest: number | null }>('SELECT COUNT(*)::int AS n, MIN(at_ms) AS oldest FROM hubspot_call_slots WHERE portal_id = $1', [key])).rows[0]!;
        if (n < max) {
          await client.query('INSERT INTO hubspot_call_slots (portal_id, at_ms) VALUES ($1, $2)', [key, nowMs]);
          return 0;
        }
        return Math.max(1, (oldest ?? nowMs) + intervalMs - nowMs);
      }),
    async stampCallSlot(key, takenAtMs, nowMs) {
      // No rowid in PostgreSQL: ctid names one physical row, enough to move exactly one of equal slots.
      await pool.query('UPDATE hubspot_call_slots SET at_ms = $1 WHERE ctid = (SELECT ctid FROM hubspot_call_slots WHERE portal_id = $2 AND at_ms = $3 LIMIT 1)', [nowMs, key, takenAtMs]);
    },
    async holdCalls(key, untilMs) {
      await pool.query(
        'INSERT INTO hubspot_call_holds (portal_id, until_ms) VALUES ($1, $2) ON CONFLICT (portal_id) DO UPDATE SET until_ms = GREATEST(hubspot_call_holds.until_ms, EXCLUDED.until_ms)',
        [key, Math.ceil(untilMs)],
      );
    },
  };
}
