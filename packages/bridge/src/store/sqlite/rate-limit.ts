import type Database from 'better-sqlite3';
import { nextDue, spacedWait, type CallActivity, type CallSlotStore, type CallSpacing } from '../inbound-types.js';

const MINUTE_MS = 60_000;
/** How long the per-minute counts are kept: the console reads the last minutes; a day is plenty to look back on. */
const KEEP_MINUTES_MS = 24 * 60 * MINUTE_MS;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * A rolling-window log of calls per key, shared by every process that opens the same store file.
 * `BEGIN IMMEDIATE` takes SQLite's write lock before reading, so two workers never both take the last slot.
 * A hold (after a 429) is read in the same transaction, so no slot is handed out while it lasts, and so is the key's
 * schedule for spaced calls (`CallSpacing`).
 * Each slot taken and each hold also counts, per minute, in hubspot_call_minutes for the console.
 */
export function sqliteCallSlots(db: Database.Database): CallSlotStore {
  const held = db.prepare<[string], { until_ms: number }>(
    'SELECT until_ms FROM hubspot_call_holds WHERE portal_id = ?',
  );
  const prune = db.prepare<[string, number]>('DELETE FROM hubspot_call_slots WHERE portal_id = ? AND at_ms <= ?');
  const count = db.prepare<[string], { n: number; oldest: number | null }>(
    'SELECT COUNT(*) AS n, MIN(at_ms) AS oldest FROM hubspot_call_slots WHERE portal_id = ?',
  );
  const insert = db.prepare<[string, number]>('INSERT INTO hubspot_call_slots (portal_id, at_ms) VALUES (?, ?)');
  const countCall = db.prepare<[string, number], { calls: number }>(
    'INSERT INTO hubspot_call_minutes (portal_id, minute_ms, calls, rate_limited) VALUES (?, ?, 1, 0) ON CONFLICT (portal_id, minute_ms) DO UPDATE SET calls = calls + 1 RETURNING calls',
  );
  const count429 = db.prepare<[string, number]>(
    'INSERT INTO hubspot_call_minutes (portal_id, minute_ms, calls, rate_limited) VALUES (?, ?, 0, 1) ON CONFLICT (portal_id, minute_ms) DO UPDATE SET rate_limited = rate_limited + 1',
  );
  const pruneMinutes = db.prepare<[number]>('DELETE FROM hubspot_call_minutes WHERE minute_ms < ?');
  const due = db.prepare<[string], { next_ms: number }>('SELECT next_ms FROM hubspot_call_pacing WHERE portal_id = ?');
  const schedule = db.prepare<[string, number]>(
    'INSERT INTO hubspot_call_pacing (portal_id, next_ms) VALUES (?, ?) ON CONFLICT (portal_id) DO UPDATE SET next_ms = excluded.next_ms',
  );
  const take = db.transaction((key: string, max: number, intervalMs: number, nowMs: number, spacing?: CallSpacing) => {
    const holdUntil = held.get(key)?.until_ms ?? 0;
    if (holdUntil > nowMs) return holdUntil - nowMs;
    prune.run(key, nowMs - intervalMs);
    const { n, oldest } = count.get(key) ?? { n: 0, oldest: null };
    if (n < max) {
      if (spacing) {
        const dueMs = due.get(key)?.next_ms;
        const waitMs = spacedWait(spacing, n, dueMs, nowMs);
        if (waitMs > 0) return waitMs;
        schedule.run(key, nextDue(dueMs, nowMs, spacing.gapMs));
      }
      insert.run(key, nowMs);
      // The first call of a minute (for this key) also drops the counts older than a day: once a minute, not per call.
      if (countCall.get(key, minuteOf(nowMs))?.calls === 1) pruneMinutes.run(nowMs - KEEP_MINUTES_MS);
      return 0;
    }
    return Math.max(1, (oldest ?? nowMs) + intervalMs - nowMs);
  });
  const stamp = db.prepare<[number, string, number]>(
    'UPDATE hubspot_call_slots SET at_ms = ? WHERE rowid = (SELECT rowid FROM hubspot_call_slots WHERE portal_id = ? AND at_ms = ? LIMIT 1)',
  );
  const hold = db.prepare<[string, number]>(
    'INSERT INTO hubspot_call_holds (portal_id, until_ms) VALUES (?, ?) ON CONFLICT (portal_id) DO UPDATE SET until_ms = MAX(until_ms, excluded.until_ms)',
  );
  const holdAndCount = db.transaction((key: string, untilMs: number, nowMs: number) => {
    hold.run(key, Math.ceil(untilMs));
    count429.run(key, minuteOf(nowMs));
    pruneMinutes.run(nowMs - KEEP_MINUTES_MS);
  });
  const activity = db.prepare<
    [number, number, number],
    { key: string; calls: number; rate_limited: number; in_window: number; held_until: number | null }
  >(CALL_ACTIVITY_SQL);
  return {
    async stampCallSlot(key, takenAtMs, nowMs) {
      stamp.run(nowMs, key, takenAtMs);
    },
    async takeCallSlot(key, max, intervalMs, nowMs, spacing) {
      return take.immediate(key, max, intervalMs, nowMs, spacing);
    },
    async holdCalls(key, untilMs, nowMs = Date.now()) {
      holdAndCount.immediate(key, untilMs, nowMs);
    },
    async readCallActivity(sinceMs, windowMs, nowMs) {
      return activity.all(minuteOf(sinceMs), nowMs - windowMs, nowMs).map(toCallActivity);
    },
  };
}

/**
 * One row per key from the three tables: minutes from the one holding `sinceMs` (parameter 1), slots after the window's
 * start (2; the take prunes with the same bound), holds still ahead of now (3). The PostgreSQL store has the same
 * query.
 */
const CALL_ACTIVITY_SQL = `
  SELECT portal_id AS key, SUM(calls) AS calls, SUM(rate_limited) AS rate_limited, SUM(in_window) AS in_window, MAX(held_until) AS held_until FROM (
    SELECT portal_id, calls, rate_limited, 0 AS in_window, CAST(NULL AS INTEGER) AS held_until FROM hubspot_call_minutes WHERE minute_ms >= ?
    UNION ALL SELECT portal_id, 0, 0, 1, CAST(NULL AS INTEGER) FROM hubspot_call_slots WHERE at_ms > ?
    UNION ALL SELECT portal_id, 0, 0, 0, until_ms FROM hubspot_call_holds WHERE until_ms > ?
  ) AS seen GROUP BY portal_id ORDER BY portal_id`;

function toCallActivity(row: {
  key: string;
  calls: number;
  rate_limited: number;
  in_window: number;
  held_until: number | null;
}): CallActivity {
  return {
    key: row.key,
    calls: row.calls,
    rateLimited: row.rate_limited,
    inWindow: row.in_window,
    ...(row.held_until === null ? {} : { heldUntilMs: row.held_until }),
  };
}
