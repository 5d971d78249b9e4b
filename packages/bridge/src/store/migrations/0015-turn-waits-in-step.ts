/**
 * Until when a message waiting in its line waits inside its one-step activity (src/activities/inbound-one-step.ts),
 * polling for the turn itself: the message that leaves the turn meanwhile wakes nobody, since a wake-up signal would
 * cost both workflows a task. NULL: the message waits durably, for the signal.
 */
export const turnWaitsInStep = {
  version: 15,
  name: 'messages waiting for their turn inside their one step',
  sql: `
    ALTER TABLE conversation_turns ADD COLUMN in_step_until_ms INTEGER;
  `,
};
