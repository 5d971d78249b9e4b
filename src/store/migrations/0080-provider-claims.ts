/**
 * Issue 16: one provider account (a Telegram bot, a WhatsApp number, a connector's callback URL) is claimed by at most
 * one connection at a time, so two popups cannot both move the same bot's webhook. The primary key is the claim: the
 * second insert of an identity fails in the database, whichever process makes it (src/store/sqlite/connections.ts).
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
