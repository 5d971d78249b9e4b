import type Database from 'better-sqlite3';
import type { ConversationStore } from '../inbound-types.js';
import { conversationFromRow, type ConversationRow } from '../rows.js';

export function sqliteConversations(db: Database.Database): ConversationStore {
  const select = db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE conversation_key = ?');
  const upsert = db.prepare(`
    INSERT INTO conversations (conversation_key, account_id, integration_thread_id, generation, hubspot_thread_id, last_message_at,
      thread_open_seen_at, updated_at)
    VALUES (@conversation_key, @account_id, @integration_thread_id, @generation, @hubspot_thread_id, @last_message_at,
      @thread_open_seen_at, @updated_at)
    ON CONFLICT (conversation_key) DO UPDATE SET account_id = excluded.account_id,
      integration_thread_id = excluded.integration_thread_id, generation = excluded.generation,
      hubspot_thread_id = excluded.hubspot_thread_id, last_message_at = excluded.last_message_at,
      thread_open_seen_at = excluded.thread_open_seen_at, updated_at = excluded.updated_at`);
  // ISO-8601 UTC strings compare in time order, so each CASE keeps the newest; a thread other than the one known takes
  // its own time.
  const published = db.prepare(`
    UPDATE conversations SET hubspot_thread_id = @hubspot_thread_id,
      last_message_at = CASE WHEN last_message_at IS NULL OR last_message_at < @sent_at THEN @sent_at ELSE last_message_at END,
      thread_open_seen_at = CASE WHEN thread_open_seen_at IS NULL OR thread_open_seen_at < @seen_at OR hubspot_thread_id IS NOT @hubspot_thread_id
        THEN @seen_at ELSE thread_open_seen_at END,
      updated_at = @updated_at
    WHERE conversation_key = @conversation_key`);
  const seenOpen = db.prepare(`
    UPDATE conversations SET thread_open_seen_at = @seen_at, updated_at = @updated_at
    WHERE conversation_key = @conversation_key AND hubspot_thread_id = @hubspot_thread_id
      AND (thread_open_seen_at IS NULL OR thread_open_seen_at < @seen_at)`);
  const byProviderId = db.prepare<[string, string], { hubspot_message_id: string }>(
    'SELECT hubspot_message_id FROM message_mappings WHERE account_id = ? AND provider_message_id = ? ORDER BY created_at LIMIT 1',
  );

  return {
    async getConversation(conversationKey) {
      const row = select.get(conversationKey);
      return row && conversationFromRow(row);
    },
    async saveConversation(t) {
      upsert.run({
        conversation_key: t.conversationKey,
        account_id: t.accountId,
        integration_thread_id: t.integrationThreadId,
        generation: t.generation,
        hubspot_thread_id: t.hubspotThreadId ?? null,
        last_message_at: t.lastMessageAt ?? null,
        thread_open_seen_at: t.threadOpenSeenAt ?? null,
        updated_at: new Date().toISOString(),
      });
    },
    async notePublished(conversationKey, hubspotThreadId, sentAt, openSeenAt) {
      const now = new Date().toISOString();
      published.run({
        conversation_key: conversationKey,
        hubspot_thread_id: hubspotThreadId,
        sent_at: sentAt,
        seen_at: openSeenAt ?? now,
        updated_at: now,
      });
    },
    async noteThreadOpen(conversationKey, hubspotThreadId, seenAt) {
      seenOpen.run({
        conversation_key: conversationKey,
        hubspot_thread_id: hubspotThreadId,
        seen_at: seenAt,
        updated_at: new Date().toISOString(),
      });
    },
    async findHubSpotMessageId(accountId, providerMessageId) {
      return byProviderId.get(accountId, providerMessageId)?.hubspot_message_id;
    },
  };
}
