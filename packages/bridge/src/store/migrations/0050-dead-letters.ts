/**
 * HubSpot webhook events the bridge verified but could not use, kept with their body (customer data) so an operator
 * can replay one once the bridge is fixed (src/api/dead-letters.ts). Pruned on every write by count, total bytes and
 * age, so a valid signature alone cannot fill the disk.
 */
export const deadLetters = {
  version: 50,
  name: 'dead letters',
  sql: `
    CREATE TABLE dead_letters (
      id TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      type TEXT NOT NULL,
      received_type TEXT,
      event_id TEXT,
      reason TEXT NOT NULL,
      body TEXT NOT NULL,
      body_bytes INTEGER NOT NULL,
      received_at TEXT NOT NULL,
      replay_attempts INTEGER NOT NULL,
      last_replay_at TEXT
    );
    CREATE INDEX dead_letters_received ON dead_letters (received_at);
  `,
};
