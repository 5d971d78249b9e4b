export const accountsAndMessages = {
  version: 1,
  name: 'accounts and message mappings',
  sql: `
    CREATE TABLE accounts (
      account_id TEXT PRIMARY KEY,
      portal_id TEXT NOT NULL,
      channel_id TEXT NOT NULL,
      provider TEXT NOT NULL,
      name TEXT NOT NULL,
      delivery_identifier_type TEXT NOT NULL,
      delivery_identifier_value TEXT NOT NULL,
      authorized INTEGER NOT NULL,
      credentials_sealed TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE message_mappings (
      message_key TEXT PRIMARY KEY,
      direction TEXT NOT NULL,
      account_id TEXT NOT NULL,
      conversation_key TEXT NOT NULL,
      provider_message_id TEXT NOT NULL,
      hubspot_message_id TEXT NOT NULL,
      hubspot_thread_id TEXT,
      created_at TEXT NOT NULL
    );
    CREATE INDEX message_mappings_hubspot_id ON message_mappings (hubspot_message_id);
    CREATE INDEX message_mappings_provider_id ON message_mappings (account_id, provider_message_id);
  `,
};
