import type Database from 'better-sqlite3';
import { partDecision, type OutboundPartStore, type PartRow } from '../outbound-parts-store.js';

export function sqliteOutboundParts(db: Database.Database): OutboundPartStore {
  const read = db.prepare<[string, number], PartRow>(
    'SELECT state, provider_message_ids, attempts, updated_at FROM outbound_parts WHERE hubspot_message_id = ? AND part_index = ?',
  );
  const sending = db.prepare(`
    INSERT INTO outbound_parts (hubspot_message_id, part_index, state, attempts, updated_at) VALUES (?, ?, 'sending', 1, ?)
    ON CONFLICT (hubspot_message_id, part_index) DO UPDATE SET state = 'sending', attempts = outbound_parts.attempts + 1, updated_at = excluded.updated_at`);
  const sent = db.prepare(`
    INSERT INTO outbound_parts (hubspot_message_id, part_index, state, provider_message_ids, attempts, updated_at) VALUES (?, ?, 'sent', ?, 1, ?)
    ON CONFLICT (hubspot_message_id, part_index) DO UPDATE SET state = 'sent', provider_message_ids = excluded.provider_message_ids, updated_at = excluded.updated_at`);
  const refused = db.prepare(
    "DELETE FROM outbound_parts WHERE hubspot_message_id = ? AND part_index = ? AND state = 'sending'",
  );
  const begin = db.transaction((id: string, index: number, graceMs: number) => {
    const now = Date.now();
    const decision = partDecision(read.get(id, index), now, graceMs);
    if (decision.state === 'send') sending.run(id, index, new Date(now).toISOString());
    return decision;
  });
  return {
    async beginPartSend(id, index, graceMs) {
      return begin.immediate(id, index, graceMs);
    },
    async recordPartSent(id, index, ids) {
      sent.run(id, index, JSON.stringify(ids), new Date().toISOString());
    },
    async recordPartRefused(id, index) {
      refused.run(id, index);
    },
  };
}
