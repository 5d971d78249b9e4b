export const outboundDeliveries = {
  version: 20,
  name: 'outbound deliveries and provider message ids',
  sql: `
    CREATE TABLE outbound_deliveries (
      hubspot_message_id TEXT PRIMARY KEY,
      workflow_id TEXT NOT NULL,
      account_id TEXT NOT NULL,
      conversation_key TEXT NOT NULL,
      created_at TEXT NOT NULL,
      finished INTEGER NOT NULL,
      registered_at TEXT NOT NULL
    );
    CREATE INDEX outbound_deliveries_turns ON outbound_deliveries (conversation_key, finished, created_at);
    CREATE TABLE outbound_provider_messages (
      account_id TEXT NOT NULL,
      provider_message_id TEXT NOT NULL,
      workflow_id TEXT NOT NULL,
      PRIMARY KEY (account_id, provider_message_id)
    );
  `,
};
