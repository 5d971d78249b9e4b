import type pg from 'pg';
import { partDecision, type OutboundPartStore, type PartRow } from '../outbound-parts-store.js';
import { one, transaction } from './db.js';

export function postgresOutboundParts(pool: pg.Pool): OutboundPartStore {
  return {
    async beginPartSend(id, index, graceMs) {
      return transaction(pool, async (client) => {
        const now = Date.now();
        // The row lock serialises two attempts at one part (a retry started beside an attempt still running).
        await client.query(
          `INSERT INTO outbound_parts (hubspot_message_id, part_index, state, attempts, updated_at) VALUES ($1, $2, 'new', 0, $3)
           ON CONFLICT (hubspot_message_id, part_index) DO NOTHING`,
          [id, index, new Date(now).toISOString()],
        );
        const row = await one<PartRow>(
          client,
          'SELECT state, provider_message_ids, attempts, updated_at FROM outbound_parts WHERE hubspot_message_id = $1 AND part_index = $2 FOR UPDATE',
          [id, index],
        );
        const decision = partDecision(row, now, graceMs);
        if (decision.state === 'send') {
          await client.query(
            "UPDATE outbound_parts SET state = 'sending', attempts = attempts + 1, updated_at = $3 WHERE hubspot_message_id = $1 AND part_index = $2",
            [id, index, new Date(now).toISOString()],
          );
        }
        return decision;
      });
    },
    async recordPartSent(id, index, ids) {
      await pool.query(
        `INSERT INTO outbound_parts (hubspot_message_id, part_index, state, provider_message_ids, attempts, updated_at) VALUES ($1, $2, 'sent', $3, 1, $4)
         ON CONFLICT (hubspot_message_id, part_index) DO UPDATE SET state = 'sent', provider_message_ids = excluded.provider_message_ids, updated_at = excluded.updated_at`,
        [id, index, JSON.stringify(ids), new Date().toISOString()],
      );
    },
    async recordPartRefused(id, index) {
      await pool.query(
        "DELETE FROM outbound_parts WHERE hubspot_message_id = $1 AND part_index = $2 AND state = 'sending'",
        [id, index],
      );
    },
  };
}
