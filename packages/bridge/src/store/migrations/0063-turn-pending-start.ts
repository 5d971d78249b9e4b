/**
 * A message's workflow start kept with its place in line when the api answers its webhook before Temporal confirmed
 * the start (src/api/start-in-line.ts), until the start is made: the api forgets it then, and so does the workflow's
 * first claim of its turn. One an api never made (it died) is made by any api's sweeper (src/api/start-sweeper.ts).
 * NULL: nothing to do.
 */
export const turnPendingStart = {
  version: 63,
  name: 'workflow starts kept with their place in line until they run',
  sql: `
    ALTER TABLE conversation_turns ADD COLUMN pending_start TEXT;
    CREATE INDEX conversation_turns_pending_start ON conversation_turns (queued_ms) WHERE pending_start IS NOT NULL;
  `,
};
