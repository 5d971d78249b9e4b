/**
 * A message's workflow start kept with its place in line until the workflow is known to run (src/api/start-in-line.ts):
 * an api that answered a webhook before Temporal confirmed the start, then died, leaves the start here, and any api's
 * sweeper makes it (src/api/start-sweeper.ts). The workflow's first claim of its turn clears it. NULL: nothing to do.
 */
export const turnPendingStart = {
  version: 63,
  name: 'workflow starts kept with their place in line until they run',
  sql: `
    ALTER TABLE conversation_turns ADD COLUMN pending_start TEXT;
    CREATE INDEX conversation_turns_pending_start ON conversation_turns (queued_ms) WHERE pending_start IS NOT NULL;
  `,
};
