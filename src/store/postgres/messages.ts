import type { MessageStore } from '../types.js';
import { one, type Db } from './db.js';
import { mappingFromRow, type MappingRow } from '../rows.js';

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
      return row && mappingFromRow(row);
    },
  };
}
