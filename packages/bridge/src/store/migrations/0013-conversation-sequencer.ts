/**
 * One sequencer for both directions: the inbound turns become every line's turns (a line is one conversation's
 * customer messages, or its replies), and catch-up holds are kept per line, per account or for everyone, in the
 * store every api process shares (docs/ORDERING.md).
 */
export const conversationSequencer = {
  version: 13,
  name: 'conversation sequencer: turns of every line, catch-up holds',
  sql: `
    ALTER TABLE inbound_turns RENAME TO conversation_turns;
    CREATE TABLE catch_up_holds (
      hold_key TEXT PRIMARY KEY,
      hold_until_ms INTEGER NOT NULL
    );
  `,
};
