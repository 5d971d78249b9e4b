import type Database from 'better-sqlite3';

/** One rep reply on its way to a chat; the row orders replies to the same chat. */
export interface OutboundDelivery {
  readonly hubspotMessageId: string;
  readonly workflowId: string;
  readonly accountId: string;
  /** `{accountId}:{chatId}`: replies with the same key are delivered one at a time, oldest first. */
  readonly conversationKey: string;
  /** HubSpot's createdAt (ISO-8601). */
  readonly createdAt: string;
}

/** The outbound side's store part: delivery turns per chat, and provider message id → workflow for receipts. */
export interface OutboundStore {
  /** Records a reply as waiting for its turn; a second call with the same id keeps the first row. */
  registerOutbound(delivery: OutboundDelivery): Promise<void>;
  /** The reply is done (sent, failed or given up); later replies to its chat may go. Idempotent. */
  finishOutbound(hubspotMessageId: string): Promise<void>;
  /**
   * The HubSpot id of an unfinished reply to the same chat written before this one (createdAt, then id),
   * registered within `lookbackMs`; undefined when this reply's turn has come.
   */
  earlierOutbound(hubspotMessageId: string, lookbackMs: number, options?: EarlierOutboundOptions): Promise<string | undefined>;
  /** Maps each provider message id the reply became to its workflow, so receipts find it. Idempotent. */
  recordOutboundProviderIds(accountId: string, providerMessageIds: readonly string[], workflowId: string): Promise<void>;
  findOutboundWorkflow(accountId: string, providerMessageId: string): Promise<string | undefined>;
}

/** `outsideLines`: only replies waiting outside the sequencer's lines (runs started before it); those in a line follow it. */
export interface EarlierOutboundOptions {
  readonly outsideLines?: boolean;
}

/** The earlier-reply condition's extra clause for `outsideLines` (both backends). */
export const OUTSIDE_LINES = 'AND NOT EXISTS (SELECT 1 FROM conversation_turns t WHERE t.message_key = other.workflow_id)';

export function sqliteOutbound(db: Database.Database): OutboundStore {
  const register = db.prepare(`
    INSERT INTO outbound_deliveries (hubspot_message_id, workflow_id, account_id, conversation_key, created_at, finished, registered_at)
    VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (hubspot_message_id) DO NOTHING`);
  const finish = db.prepare('UPDATE outbound_deliveries SET finished = 1 WHERE hubspot_message_id = ?');
  const earlierSql = (outsideLines: boolean) => db.prepare<[string, string, string], { hubspot_message_id: string }>(`
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
      register.run(d.hubspotMessageId, d.workflowId, d.accountId, d.conversationKey, d.createdAt, new Date().toISOString());
    },
    async finishOutbound(hubspotMessageId) {
      finish.run(hubspotMessageId);
    },
    async earlierOutbound(hubspotMessageId, lookbackMs, options) {
      const since = new Date(Date.now() - lookbackMs).toISOString();
      return (options?.outsideLines ? earlierOutsideLines : earlier).get(hubspotMessageId, hubspotMessageId, since)?.hubspot_message_id;
    },
    async recordOutboundProviderIds(accountId, providerMessageIds, workflowId) {
      mapAll(accountId, providerMessageIds, workflowId);
    },
    async findOutboundWorkflow(accountId, providerMessageId) {
      return findWorkflow.get(accountId, providerMessageId)?.workflow_id;
    },
  };
}
