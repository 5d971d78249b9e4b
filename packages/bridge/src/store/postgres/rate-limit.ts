import type pg from 'pg';
import { nextDue, spacedWait, type CallActivity, type CallSlotStore } from '../inbound-types.js';
import { transaction } from './db.js';

const MINUTE_MS = 60_000;
/** How long the per-minute counts are kept: the console reads the last minutes; a day is plenty to look back on. */
const KEEP_MINUTES_MS = 24 * 60 * MINUTE_MS;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * The same rolling-window log as SQLite's, shared by every process on the database. A transaction-scoped
 * advisory lock on the key serialises takers of one portal, so two workers never both take the last slot.
 * A hold (after a 429) is read under the same lock, so no slot is handed out while it lasts, and so is the key's
 * schedule for spaced calls.
 * Each slot taken and each hold also counts, per minute, in hubspot_call_minutes for the console.
 */
export function postgresCallSlots(pool: pg.Pool): CallSlotStore {
  return {
    takeCallSlot: (key, max, intervalMs, nowMs, spacing) =>
      transaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`call-slots:${key}`]);
        const hold = (
          await client.query<{ until_ms: number }>('SELECT until_ms FROM hubspot_call_holds WHERE portal_id = $1', [
            key,
          ])
        ).rows[0];
        if (hold && hold.until_ms > nowMs) return hold.until_ms - nowMs;
        await client.query('DELETE FROM hubspot_call_slots WHERE portal_id = $1 AND at_ms <= $2', [
          key,
          nowMs - intervalMs,
        ]);
        const { n, oldest } = (
          await client.query<{ n: number; oldest: number | null }>(
            'SELECT COUNT(*)::int AS n, MIN(at_ms) AS oldest FROM hubspot_call_slots WHERE portal_id = $1',
            [key],
          )
        ).rows[0]!;
        if (n < max) {
          if (spacing) {
            // BIGINT comes back as a string.
            const row = (
              await client.query<{ next_ms: string }>('SELECT next_ms FROM hubspot_call_pacing WHERE portal_id = $1', [
                key,
              ])
            ).rows[0];
            const dueMs = row ? Number(row.next_ms) : undefined;
            const waitMs = spacedWait(spacing, n, dueMs, nowMs);
            if (waitMs > 0) return waitMs;
            await client.query(
              'INSERT INTO hubspot_call_pacing (portal_id, next_ms) VALUES ($1, $2) ON CONFLICT (portal_id) DO UPDATE SET next_ms = excluded.next_ms',
              [key, nextDue(dueMs, nowMs, spacing.gapMs)],
            );
          }
          await client.query('INSERT INTO hubspot_call_slots (portal_id, at_ms) VALUES ($1, $2)', [key, nowMs]);
          const counted = await client.query<{ calls: number }>(
            'INSERT INTO hubspot_call_minutes (portal_id, minute_ms, calls, rate_limited) VALUES ($1, $2, 1, 0) ON CONFLICT (portal_id, minute_ms) DO UPDATE SET calls = hubspot_call_minutes.calls + 1 RETURNING calls',
            [key, minuteOf(nowMs)],
          );
          // The first call of a minute (for this key) also drops the counts older than a day: once a minute, not per
          // call.
          if (counted.rows[0]?.calls === 1)
            await client.query('DELETE FROM hubspot_call_minutes WHERE minute_ms < $1', [nowMs - KEEP_MINUTES_MS]);
          return 0;
        }
        return Math.max(1, (oldest ?? nowMs) + intervalMs - nowMs);
      }),
    async stampCallSlot(key, takenAtMs, nowMs) {
      // No rowid in PostgreSQL: ctid names one physical row, enough to move exactly one of equal slots.
      await pool.query(
        'UPDATE hubspot_call_slots SET at_ms = $1 WHERE ctid = (SELECT ctid FROM hubspot_call_slots WHERE portal_id = $2 AND at_ms = $3 LIMIT 1)',
        [nowMs, key, takenAtMs],
      );
    },
    holdCalls: (key, untilMs, nowMs = Date.now()) =>
      transaction(pool, async (client) => {
        await client.query(
          'INSERT INTO hubspot_call_holds (portal_id, until_ms) VALUES ($1, $2) ON CONFLICT (portal_id) DO UPDATE SET until_ms = GREATEST(hubspot_call_holds.until_ms, EXCLUDED.until_ms)',
          [key, Math.ceil(untilMs)],
        );
        await client.query(
          'INSERT INTO hubspot_call_minutes (portal_id, minute_ms, calls, rate_limited) VALUES ($1, $2, 0, 1) ON CONFLICT (portal_id, minute_ms) DO UPDATE SET rate_limited = hubspot_call_minutes.rate_limited + 1',
          [key, minuteOf(nowMs)],
        );
        await client.query('DELETE FROM hubspot_call_minutes WHERE minute_ms < $1', [nowMs - KEEP_MINUTES_MS]);
      }),
    async readCallActivity(sinceMs, windowMs, nowMs) {
      const rows = (
        await pool.query<{
          key: string;
          calls: string;
          rate_limited: string;
          in_window: string;
          held_until: number | null;
        }>(CALL_ACTIVITY_SQL, [minuteOf(sinceMs), nowMs - windowMs, nowMs])
      ).rows;
      return rows.map(toCallActivity);
    },
  };
}

/**
 * One row per key from the three tables, as SQLite's store reads them: minutes from the one holding `sinceMs` ($1),
 * slots after the window's start ($2; the take prunes with the same bound), holds still ahead of now ($3).
 * The typed NULLs keep UNION from settling on TEXT for a column of BIGINTs.
 */
const CALL_ACTIVITY_SQL = `
  SELECT portal_id AS key, SUM(calls) AS calls, SUM(rate_limited) AS rate_limited, SUM(in_window) AS in_window, MAX(held_until) AS held_until FROM (
    SELECT portal_id, calls, rate_limited, 0 AS in_window, CAST(NULL AS BIGINT) AS held_until FROM hubspot_call_minutes WHERE minute_ms >= $1
    UNION ALL SELECT portal_id, 0, 0, 1, CAST(NULL AS BIGINT) FROM hubspot_call_slots WHERE at_ms > $2
    UNION ALL SELECT portal_id, 0, 0, 0, until_ms FROM hubspot_call_holds WHERE until_ms > $3
  ) AS seen GROUP BY portal_id ORDER BY portal_id`;

/**
 * SUM of BIGINT is NUMERIC, which node-pg returns as a string (db.ts parses only BIGINT); every count fits a double.
 */
function toCallActivity(row: {
  key: string;
  calls: string;
  rate_limited: string;
  in_window: string;
  held_until: number | null;
}): CallActivity {
  return {
    key: row.key,
    calls: Number(row.calls),
    rateLimited: Number(row.rate_limited),
    inWindow: Number(row.in_window),
    ...(row.held_until === null ? {} : { heldUntilMs: row.held_until }),
  };
}
