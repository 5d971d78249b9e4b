import { createKeyring } from './crypto.js';
import { postgresAccounts } from './postgres/accounts.js';
import { postgresChatAliases } from './postgres/chat-aliases.js';
import { postgresConnections } from './postgres/connections.js';
import { postgresConversations } from './postgres/conversations.js';
import { createPool } from './postgres/db.js';
import { postgresMessages } from './postgres/messages.js';
import { migrate } from './postgres/migrate.js';
import { postgresOAuthStates } from './postgres/oauth-states.js';
import { postgresOutbound } from './postgres/outbound.js';
import { postgresOutboundParts } from './postgres/outbound-parts.js';
import { postgresApiPresence } from './postgres/api-presence.js';
import { postgresDeadLetters } from './postgres/dead-letters.js';
import { postgresConversationTurns } from './postgres/conversation-turns.js';
import { postgresCallSlots } from './postgres/rate-limit.js';
import { postgresStagedMedia } from './postgres/staged-media.js';
import { postgresTokens } from './postgres/tokens.js';
import type { Store } from './types.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:5432/database (BRIDGE_DATABASE_URL). */
  readonly url: string;
  readonly encryptionKey: Buffer;
  readonly previousEncryptionKeys?: readonly Buffer[];
  /** Connections per process. @default 10 */
  readonly poolSize?: number;
}

/**
 * The store for several api and worker processes: the same parts and migrations as SQLite, on PostgreSQL.
 * Migrations run on open under an advisory lock, so processes starting together migrate once.
 */
export async function openPostgresStore({
  url,
  encryptionKey,
  previousEncryptionKeys,
  poolSize,
}: PostgresStoreOptions): Promise<Store> {
  const pool = createPool(url, poolSize);
  await migrate(pool);
  const box = createKeyring(encryptionKey, previousEncryptionKeys);
  return {
    ...postgresAccounts(pool, box),
    ...postgresMessages(pool),
    ...postgresOutbound(pool),
    ...postgresOutboundParts(pool),
    ...postgresApiPresence(pool),
    ...postgresDeadLetters(pool),
    ...postgresConversations(pool),
    ...postgresStagedMedia(pool),
    ...postgresCallSlots(pool),
    ...postgresConversationTurns(pool),
    ...postgresChatAliases(pool),
    ...postgresTokens(pool, box),
    ...postgresOAuthStates(pool),
    ...postgresConnections(pool, box),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
