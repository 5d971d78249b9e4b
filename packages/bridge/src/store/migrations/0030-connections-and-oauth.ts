/**
 * Multi-portal installs: each portal's OAuth tokens, single-use install states, connections made from HubSpot's inbox
 * settings
 * (pending until CHANNEL_ACCOUNT_CREATED names the account), and the inbox an account lives in.
 */
export const connectionsAndOAuth = {
  version: 30,
  name: 'portal tokens, oauth states, connections, account inbox',
  sql: `
    CREATE TABLE portal_tokens (
      portal_id TEXT PRIMARY KEY,
      access_token_sealed TEXT NOT NULL,
      refresh_token_sealed TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      scopes TEXT NOT NULL,
      status TEXT NOT NULL,
      status_reason TEXT,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE oauth_states (
      nonce TEXT PRIMARY KEY,
      expires_at TEXT NOT NULL,
      used_at TEXT
    );
    CREATE TABLE connections (
      connection_id TEXT PRIMARY KEY,
      portal_id TEXT NOT NULL,
      channel_id TEXT NOT NULL,
      provider TEXT NOT NULL,
      name TEXT NOT NULL,
      delivery_identifier_type TEXT NOT NULL,
      delivery_identifier_value TEXT NOT NULL,
      credentials_sealed TEXT,
      account_id TEXT,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX connections_identifier ON connections (portal_id, delivery_identifier_value);
    CREATE INDEX connections_account ON connections (account_id);
    ALTER TABLE accounts ADD COLUMN inbox_id TEXT;
  `,
};
