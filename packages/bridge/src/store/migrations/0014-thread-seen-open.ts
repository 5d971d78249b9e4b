/**
 * When the bridge last knew the conversation's HubSpot thread open (HubSpot took a message into it, or a read found it
 * OPEN), so the thread resolver trusts it for a short window instead of reading it before every publish
 * (src/activities/threads.ts, INBOUND_THREAD_STATUS_FRESH_SECONDS). NULL: not known, the next message reads.
 */
export const threadSeenOpen = {
  version: 14,
  name: "when each conversation's HubSpot thread was last seen open",
  sql: `
    ALTER TABLE conversations ADD COLUMN thread_open_seen_at TEXT;
  `,
};
