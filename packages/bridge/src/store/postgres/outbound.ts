import type pg from 'pg';
import { OUTSIDE_LINES, type OutboundStore } from '../outbound-store.js';
import { one, transaction } from './db.js';

export function postgresOutbound(pool: pg.Pool): OutboundStore {
  return {
    async registerOutbound(d) {
      await pool.query(
        `INSERT INTO outbound_deliveries (hubspot_message_id, workflow_id, account_id, conversation_key, created_at, finished, registered_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (hubspot_message_id) DO NOTHING`,
        [d.hubspotMessageId, d.workflowId, d.accountId, d.conversationKey, d.createdAt, new Date().toISOString()],
      );
    },
    async finishOutbound(hubspotMessageId) {
      await pool.query('UPDATE outbound_deliveries SET finished = 1 WHERE hubspot_message_id = $1', [hubspotMessageId]);
    },
    async earlierOutbound(hubspotMessageId, lookbackMs, options) {
      const row = await one<{ hubspot_message_id: string }>(
        pool,
        `SELECT other.hubspot_message_id FROM outbound_deliveries me
         JOIN outbound_deliveries other ON other.conversation_key = me.conversation_key AND other.finished = 0
           AND (other.created_at < me.created_at OR (other.created_at = me.created_at AND other.hubspot_message_id < me.hubspot_message_id))
         WHERE me.hubspot_message_id = $1 AND other.hubspot_message_id <> $1 AND other.registered_at >= $2 ${options?.outsideLines ? OUTSIDE_LINES : ''}
         ORDER BY other.created_at LIMIT 1`,
        [hubspotMessageId, new Date(Date.now() - lookbackMs).toISOString()],
      );
      return row?.hubspot_message_id;
    },
    async recordOutboundProviderIds(accountId, providerMessageIds, workflowId) {
      await transaction(pool, async (client) => {
        for (const id of providerMessageIds) {
          await client.query(
            'INSERT INTO outbound_provider_messages (account_id, provider_message_id, workflow_id) VALUES ($1, $2, $3) ON CONFLICT (account_id, provider_message_id) DO NOTHING',
            [accountId, id, workflowId],
          );
        }
      });
    },
    async findOutboundWorkflow(accountId, providerMessageId) {
      const row = await one<{ workflow_id: string }>(
        pool,
        'SELECT workflow_id FROM outbound_provider_messages WHERE account_id = $1 AND provider_message_id = $2',
        [accountId, providerMessageId],
      );
      return row?.workflow_id;
    },
  };
}
