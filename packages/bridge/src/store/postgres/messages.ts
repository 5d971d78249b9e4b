import type { MessageStore } from '../messages-store.js';
import { one, type Db } from './db.js';
import { mappingFromRow, type MappingRow } from '../rows.js';

export function postgresMessages(db: Db): MessageStore {
  return {
    async recordMessage(m) {
      await db.query(
        `INSERT INTO message_mappings (message_key, direction, account_id, conversation_key, provider_message_id, hubspot_message_id, hubspot_thread_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (message_key) DO NOTHING`,
        [
          m.messageKey,
          m.direction,
          m.accountId,
          m.conversationKey,
          m.providerMessageId,
          m.hubspotMessageId,
          m.hubspotThreadId ?? null,
          new Date().toISOString(),
        ],
      );
    },
    async findMessage(messageKey) {
      const row = await one<MappingRow>(db, 'SELECT * FROM message_mappings WHERE message_key = $1', [messageKey]);
      return row && mappingFromRow(row);
    },
    async findMessageKeys(hubspotMessageId) {
      // message_mappings_hubspot_id (migration 001) indexes hubspot_message_id.
      const { rows } = await db.query<{ message_key: string }>(
        'SELECT message_key FROM message_mappings WHERE hubspot_message_id = $1 ORDER BY created_at LIMIT 20',
        [hubspotMessageId],
      );
      return rows.map((row) => row.message_key);
    },
    async findProviderMessageId(accountId, hubspotMessageId) {
      // message_mappings_hubspot_id (migration 001) indexes hubspot_message_id.
      const row = await one<{ provider_message_id: string }>(
        db,
        'SELECT provider_message_id FROM message_mappings WHERE account_id = $1 AND hubspot_message_id = $2 ORDER BY created_at LIMIT 1',
        [accountId, hubspotMessageId],
      );
      return row?.provider_message_id;
    },
    async hasLaterMessage(accountId, hubspotMessageId) {
      const row = await one<{ later: boolean }>(
        db,
        `SELECT EXISTS (
           SELECT 1 FROM message_mappings m JOIN message_mappings n
             ON n.account_id = m.account_id AND n.conversation_key = m.conversation_key AND n.direction = m.direction
           WHERE m.account_id = $1 AND m.hubspot_message_id = $2 AND n.created_at > m.created_at
         ) AS later`,
        [accountId, hubspotMessageId],
      );
      return row?.later === true;
    },
  };
}
