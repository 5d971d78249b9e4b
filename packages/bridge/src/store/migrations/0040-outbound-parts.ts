/**
 * Each reply part's send, so a retried delivery activity never sends a part the provider already accepted: some
 * providers take no idempotency key, and Temporal may lose an activity's completion (server restart, worker crash).
 * `sending` while a request is out; `sent` with the provider's ids once it answered; a refusal deletes the row.
 */
export const outboundParts = {
  version: 40,
  name: 'outbound part sends',
  sql: `
    CREATE TABLE outbound_parts (
      hubspot_message_id TEXT NOT NULL,
      part_index INTEGER NOT NULL,
      state TEXT NOT NULL,
      provider_message_ids TEXT,
      attempts INTEGER NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (hubspot_message_id, part_index)
    );
  `,
};
