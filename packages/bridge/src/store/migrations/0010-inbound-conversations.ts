/**
 * Inbound: the conversation ↔ thread mapping, inline media staged by the api until the
 * message's workflow uploads it, and the shared log of HubSpot calls that paces every worker per portal.
 */
export const inboundConversations = {
  version: 10,
  name: 'inbound conversations, staged media, HubSpot call pacing',
  sql: `
    CREATE TABLE conversations (
      conversation_key TEXT PRIMARY KEY,
      account_id TEXT NOT NULL,
      integration_thread_id TEXT NOT NULL,
      generation INTEGER NOT NULL,
      hubspot_thread_id TEXT,
      last_message_at TEXT,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE staged_media (
      message_key TEXT NOT NULL,
      item INTEGER NOT NULL,
      content_type TEXT,
      filename TEXT,
      bytes BLOB NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (message_key, item)
    );
    CREATE TABLE hubspot_call_slots (
      portal_id TEXT NOT NULL,
      at_ms INTEGER NOT NULL
    );
    CREATE INDEX hubspot_call_slots_portal ON hubspot_call_slots (portal_id, at_ms);
  `,
};
