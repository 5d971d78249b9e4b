import type Database from 'better-sqlite3';
import type { MessageStore } from '../types.js';
import { mappingFromRow, type MappingRow } from '../rows.js';

export function sqliteMessages(db: Database.Database): MessageStore {
  const insert = db.prepare(`
    INSERT INTO message_mappings (message_key, direction, account_id, conversation_key, provider_message_id,
      hubspot_message_id, hubspot_thread_id, created_at)
    VALUES (@message_key, @direction, @account_id, @conversation_key, @provider_message_id,
      @hubspot_message_id, @hubspot_thread_id, @created_at)
    ON CONFLICT (message_key) DO NOTHING`);
  const select = db.prepare<[string], MappingRow>('SELECT * FROM message_mappings WHERE message_key = ?');

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
  };
}
