import type Database from 'better-sqlite3';
import { OUTSIDE_LINES, type OutboundStore } from '../outbound-store.js';

export function sqliteOutbound(db: Database.Database): OutboundStore {
  const register = db.prepare(`
    INSERT INTO outbound_deliveries (hubspot_message_id, workflow_id, account_id, conversation_key, created_at, finished, registered_at)
    VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (hubspot_message_id) DO NOTHING`);
  const finish = db.prepare('UPDATE outbound_deliveries SET finished = 1 WHERE hubspot_message_id = ?');
  const earlierSql = (outsideLines: boolean) =>
    db.prepare<[string, string, string], { hubspot_message_id: string }>(`
    SELECT other.hubspot_message_id FROM outbound_deliveries me
    JOIN outbound_deliveries other ON other.conversation_key = me.conversation_key AND other.finished = 0
      AND (other.created_at < me.created_at OR (other.created_at = me.created_at AND other.hubspot_message_id < me.hubspot_message_id))
    WHERE me.hubspot_message_id = ? AND other.hubspot_message_id <> ? AND other.registered_at >= ? ${outsideLines ? OUTSIDE_LINES : ''}
    ORDER BY other.created_at LIMIT 1`);
  const earlier = earlierSql(false);
  const earlierOutsideLines = earlierSql(true);
  const mapId = db.prepare(`
    INSERT INTO outbound_provider_messages (account_id, provider_message_id, workflow_id) VALUES (?, ?, ?)
    ON CONFLICT (account_id, provider_message_id) DO NOTHING`);
  const findWorkflow = db.prepare<[string, string], { workflow_id: string }>(
    'SELECT workflow_id FROM outbound_provider_messages WHERE account_id = ? AND provider_message_id = ?',
  );
  const mapAll = db.transaction((accountId: string, ids: readonly string[], workflowId: string) => {
    for (const id of ids) mapId.run(accountId, id, workflowId);
  });

  return {
    async registerOutbound(d) {
      register.run(
        d.hubspotMessageId,
        d.workflowId,
        d.accountId,
        d.conversationKey,
        d.createdAt,
        new Date().toISOString(),
      );
    },
    async finishOutbound(hubspotMessageId) {
      finish.run(hubspotMessageId);
    },
    async earlierOutbound(hubspotMessageId, lookbackMs, options) {
      const since = new Date(Date.now() - lookbackMs).toISOString();
      return (options?.outsideLines ? earlierOutsideLines : earlier).get(hubspotMessageId, hubspotMessageId, since)
        ?.hubspot_message_id;
    },
    async recordOutboundProviderIds(accountId, providerMessageIds, workflowId) {
      mapAll(accountId, providerMessageIds, workflowId);
    },
    async findOutboundWorkflow(accountId, providerMessageId) {
      return findWorkflow.get(accountId, providerMessageId)?.workflow_id;
    },
  };
}
