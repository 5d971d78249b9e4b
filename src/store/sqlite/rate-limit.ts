import type Database from 'better-sqlite3';
import type { CallSlotStore } from '../inbound-types.js';

/**
 * A rolling-window log of calls per key, shared by every process that opens the same store file.
 * `BEGIN IMMEDIATE` takes SQLite's write lock before reading, so two workers never both take the last slot.
 * A hold (after a 429) is read in the same transaction, so no slot is handed out while it lasts.
 */
export function sqliteCallSlots(db: Database.Database): CallSlotStore {
  const held = db.prepare<[string], { until_ms: number }>('SELECT until_ms FROM hubspot_call_holds WHERE portal_id = ?');
  const prune = db.prepare<[string, number]>('DELETE FROM hubspot_call_slots WHERE portal_id = ? AND at_ms <= ?');
  const count = db.prepare<[string], { n: number; oldest: number | null }>('SELECT COUNT(*) AS n, MIN(at_ms) AS oldest FROM hubspot_call_slots WHERE portal_id = ?');
  const insert = db.prepare<[string, number]>('INSERT INTO hubspot_call_slots (portal_id, at_ms) VALUES (?, ?)');
  const take = db.transaction((key: string, max: number, intervalMs: number, nowMs: number): number => {
    const holdUntil = held.get(key)?.until_ms ?? 0;
    if (holdUntil > nowMs) return holdUntil - nowMs;
    prune.run(key, nowMs - intervalMs);
    const { n, oldest } = count.get(key) ?? { n: 0, oldest: null };
    if (n < max) {
      insert.run(key, nowMs);
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
  return {
    async stampCallSlot(key, takenAtMs, nowMs) {
      stamp.run(nowMs, key, takenAtMs);
    },
    async takeCallSlot(key, max, intervalMs, nowMs) {
      return take.immediate(key, max, intervalMs, nowMs);
    },
    async holdCalls(key, untilMs) {
      hold.run(key, Math.ceil(untilMs));
    },
  };
}
