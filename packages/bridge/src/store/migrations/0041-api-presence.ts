/**
 * When an api process last said it was alive. A starting api that finds no api alive for a while knows the senders
 * met closed doors meanwhile, and that their retries may now overtake each other (src/api/catch-up.ts).
 */
export const apiPresence = {
  version: 41,
  name: 'api presence',
  sql: `
    CREATE TABLE api_presence (
      id TEXT PRIMARY KEY,
      seen_ms INTEGER NOT NULL
    );
  `,
};
