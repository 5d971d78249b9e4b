/**
 * One provider account (a bot, a number, a connector's callback URL) is claimed by at most one connection at a time,
 * so two popups cannot both move the same account's webhook. The primary key is the claim: the second insert of an
 * identity fails in the database, whichever process makes it (src/store/provider-claims-store.ts).
 */
export const providerClaims = {
  version: 80,
  name: 'provider claims',
  sql: `
    CREATE TABLE provider_claims (
      identity TEXT PRIMARY KEY,
      connection_id TEXT NOT NULL,
      portal_id TEXT NOT NULL,
      provider TEXT NOT NULL,
      name TEXT NOT NULL,
      claimed_at TEXT NOT NULL
    );
    CREATE INDEX provider_claims_connection ON provider_claims (connection_id);
  `,
};
