/**
 * Each portal's schedule for calls once its window is busy (src/activities/rate-limit.ts): the moment its next call is
 * due, so calls past half the budget come one per interval ÷ max instead of in the bursts a backlog's waiters would
 * otherwise repeat window after window.
 */
export const hubspotCallPacing = {
  version: 62,
  name: 'HubSpot call schedule per portal',
  sql: `
    CREATE TABLE hubspot_call_pacing (
      portal_id TEXT PRIMARY KEY,
      next_ms INTEGER NOT NULL
    );
  `,
};
