import type Database from 'better-sqlite3';
import type { MessageStore } from '../messages-store.js';
import { mappingFromRow, type MappingRow } from '../rows.js';

export function sqliteMessages(db: Database.Database): MessageStore {
  const insert = db.prepare(`
    INSERT INTO message_mappings (message_key, direction, account_id, conversation_key, provider_message_id,
      hubspot_message_id, hubspot_thread_id, created_at)
    VALUES (@message_key, @direction, @account_id, @conversation_key, @provider_message_id,
      @hubspot_message_id, @hubspot_thread_id, @created_at)
    ON CONFLICT (message_key) DO NOTHING`);
  const select = db.prepare<[string], MappingRow>('SELECT * FROM message_mappings WHERE message_key = ?');
  // message_mappings_hubspot_id (migration 001) indexes hubspot_message_id.
  const byHubSpotId = db.prepare<[string, string], { provider_message_id: string }>(
    'SELECT provider_message_id FROM message_mappings WHERE account_id = ? AND hubspot_message_id = ? ORDER BY created_at LIMIT 1',
  );
  const keysByHubSpotId = db.prepare<[string], { message_key: string }>(
    'SELECT message_key FROM message_mappings WHERE hubspot_message_id = ? ORDER BY created_at LIMIT 20',
  );

  const later = db.prepare<[string, string], { later: number }>(`
    SELECT EXISTS (
      SELECT 1 FROM message_mappings m JOIN message_mappings n
        ON n.account_id = m.account_id AND n.conversation_key = m.conversation_key AND n.direction = m.direction
      WHERE m.account_id = ? AND m.hubspot_message_id = ? AND n.created_at > m.created_at
    ) AS later`);

  return {
    async recordMessage(m) {
      insert.run({
        message_key: m.messageKey,
        direction: m.direction,
        account_id: m.accountId,
        conversation_key: m.conversationKey,
        provider_message_id: m.providerMessageId,
        hubspot_message_id: m.hubspotMessageId,
        hubspot_thread_id: m.hubspotThreadId ?? null,
        created_at: new Date().toISOString(),
      });
    },
    async findMessage(messageKey) {
      const row = select.get(messageKey);
      return row && mappingFromRow(row);
    },
    async findMessageKeys(hubspotMessageId) {
      return keysByHubSpotId.all(hubspotMessageId).map((row) => row.message_key);
    },
    async findProviderMessageId(accountId, hubspotMessageId) {
      return byHubSpotId.get(accountId, hubspotMessageId)?.provider_message_id;
    },
    async hasLaterMessage(accountId, hubspotMessageId) {
      return later.get(accountId, hubspotMessageId)?.later === 1;
    },
  };
}
