/**
 * A portal's HubSpot calls held after a 429 until its Retry-After has passed, shared by every worker process on the
 * store (src/activities/rate-limit.ts): one caller's 429 stops the others of the same portal.
 */
export const hubspotCallHolds = {
  version: 60,
  name: 'HubSpot call holds after a 429',
  sql: `
    CREATE TABLE hubspot_call_holds (
      portal_id TEXT PRIMARY KEY,
      until_ms INTEGER NOT NULL
    );
  `,
};
