import type { ConversationStore } from '../inbound-types.js';
import { one, type Db } from './db.js';
import { conversationFromRow, type ConversationRow } from '../rows.js';

export function postgresConversations(db: Db): ConversationStore {
  return {
    async getConversation(conversationKey) {
      const row = await one<ConversationRow>(db, 'SELECT * FROM conversations WHERE conversation_key = $1', [
        conversationKey,
      ]);
      return row && conversationFromRow(row);
    },
    async saveConversation(t) {
      await db.query(
        `INSERT INTO conversations (conversation_key, account_id, integration_thread_id, generation, hubspot_thread_id, last_message_at,
           thread_open_seen_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (conversation_key) DO UPDATE SET account_id = excluded.account_id, integration_thread_id = excluded.integration_thread_id,
           generation = excluded.generation, hubspot_thread_id = excluded.hubspot_thread_id, last_message_at = excluded.last_message_at,
           thread_open_seen_at = excluded.thread_open_seen_at, updated_at = excluded.updated_at`,
        [
          t.conversationKey,
          t.accountId,
          t.integrationThreadId,
          t.generation,
          t.hubspotThreadId ?? null,
          t.lastMessageAt ?? null,
          t.threadOpenSeenAt ?? null,
          new Date().toISOString(),
        ],
      );
    },
    async notePublished(conversationKey, hubspotThreadId, sentAt, openSeenAt) {
      // ISO-8601 UTC strings compare in time order, so each CASE keeps the newest; a thread other than the one known
      // takes its own time.
      const now = new Date().toISOString();
      await db.query(
        `UPDATE conversations SET hubspot_thread_id = $2,
           last_message_at = CASE WHEN last_message_at IS NULL OR last_message_at < $3 THEN $3 ELSE last_message_at END,
           thread_open_seen_at = CASE WHEN thread_open_seen_at IS NULL OR thread_open_seen_at < $4
             OR hubspot_thread_id IS DISTINCT FROM $2 THEN $4 ELSE thread_open_seen_at END,
           updated_at = $5
         WHERE conversation_key = $1`,
        [conversationKey, hubspotThreadId, sentAt, openSeenAt ?? now, now],
      );
    },
    async noteThreadOpen(conversationKey, hubspotThreadId, seenAt) {
      await db.query(
        `UPDATE conversations SET thread_open_seen_at = $3, updated_at = $4
         WHERE conversation_key = $1 AND hubspot_thread_id = $2 AND (thread_open_seen_at IS NULL OR thread_open_seen_at < $3)`,
        [conversationKey, hubspotThreadId, seenAt, new Date().toISOString()],
      );
    },
    async findHubSpotMessageId(accountId, providerMessageId) {
      const row = await one<{ hubspot_message_id: string }>(
        db,
        'SELECT hubspot_message_id FROM message_mappings WHERE account_id = $1 AND provider_message_id = $2 ORDER BY created_at LIMIT 1',
        [accountId, providerMessageId],
      );
      return row?.hubspot_message_id;
    },
  };
}
