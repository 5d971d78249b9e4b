import type Database from 'better-sqlite3';
import type { AccountId, ConversationKey } from '../../domain/ids.js';
import type { MessageMapping, MessageStore } from '../types.js';

interface MappingRow {
  message_key: string;
  direction: string;
  account_id: string;
  conversation_key: string;
  provider_message_id: string;
  hubspot_message_id: string;
  hubspot_thread_id: string | null;
}

function toMapping(row: MappingRow): MessageMapping {
  return {
    messageKey: row.message_key,
    direction: row.direction as MessageMapping['direction'],
    accountId: row.account_id as AccountId,
    conversationKey: row.conversation_key as ConversationKey,
    providerMessageId: row.provider_message_id,
    hubspotMessageId: row.hubspot_message_id,
    hubspotThreadId: row.hubspot_thread_id ?? undefined,
  };
}

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
      return row && toMapping(row);
    },
  };
}
