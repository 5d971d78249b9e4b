/**
 * HubSpot calls let through and 429s per portal per minute, counted by the store's call slots
 * (src/store/sqlite/rate-limit.ts, src/store/postgres/rate-limit.ts) as the workers take them, so the console reads
 * exact figures. Rows older than a day are pruned as new minutes start.
 */
export const hubspotCallMinutes = {
  version: 61,
  name: 'HubSpot calls and 429s per portal per minute',
  sql: `
    CREATE TABLE hubspot_call_minutes (
      portal_id TEXT NOT NULL,
      minute_ms INTEGER NOT NULL,
      calls INTEGER NOT NULL,
      rate_limited INTEGER NOT NULL,
      PRIMARY KEY (portal_id, minute_ms)
    );
  `,
};
