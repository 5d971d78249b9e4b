/**
 * The publish turns of each conversation's inbound messages: a message holds the turn (`active`), the rest wait in
 * the order the customer sent them, then the order the api accepted them.
 */
export const inboundTurns = {
  version: 11,
  name: 'inbound turns per conversation',
  sql: `
    CREATE TABLE inbound_turns (
      message_key TEXT PRIMARY KEY,
      conversation_key TEXT NOT NULL,
      sent_ms INTEGER NOT NULL,
      queued_ms INTEGER NOT NULL,
      active INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX inbound_turns_order ON inbound_turns (conversation_key, sent_ms, queued_ms, message_key);
  `,
};
