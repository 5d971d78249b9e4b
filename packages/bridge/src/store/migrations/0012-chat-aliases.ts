/**
 * The ids one customer reaches an account by, each pointing at the one their conversation is keyed by (e.g. a
 * customer's phone number and a provider-scoped user id). A row is written once and never changed: `canonical_chat_id`
 * always names a row of its own that points at itself, so there are no chains to follow.
 */
export const chatAliases = {
  version: 12,
  name: 'chat aliases per account',
  sql: `
    CREATE TABLE chat_aliases (
      account_id TEXT NOT NULL,
      chat_id TEXT NOT NULL,
      canonical_chat_id TEXT NOT NULL,
      created_ms INTEGER NOT NULL,
      PRIMARY KEY (account_id, chat_id)
    );
  `,
};
