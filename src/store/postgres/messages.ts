import type { AccountId, ConversationKey } from '../../domain/ids.js';
import type { MessageMapping, MessageStore } from '../types.js';
import { one, type Db } from './db.js';

interface MappingRow {
  message_key: string;
  direction: string;
  account_id: string;
  conversation_key: string;
  provider_message_id: string;
  hubspot_message_id: string;
  hubspot_thread_id: string | null;
}

export function postgresMessages(db: Db): MessageStore {
  return {
    async recordMessage(m) {
      await db.query(
        `INSERT INTO message_mappings (message_key, direction, account_id, conversation_key, provider_message_id, hubspot_message_id, hubspot_thread_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (message_key) DO NOTHING`,
        [m.messageKey, m.direction, m.accountId, m.conversationKey, m.providerMessageId, m.hubspotMessageId, m.hubspotThreadId ?? null, new Date().toISOString()],
      );
    },
    async findMessage(messageKey) {
      const row = await one<MappingRow>(db, 'SELECT * FROM message_mappings WHERE message_key = $1', [messageKey]);
      return (
        row && {
          messageKey: row.message_key,
          direction: row.direction as MessageMapping['direction'],
          accountId: row.account_id as AccountId,
          conversationKey: row.conversation_key as ConversationKey,
          providerMessageId: row.provider_message_id,
          hubspotMessageId: row.hubspot_message_id,
          hubspotThreadId: row.hubspot_thread_id ?? undefined,
        }
      );
    },
  };
}
