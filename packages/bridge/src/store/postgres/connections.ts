import type pg from 'pg';
import type { Keyring } from '../crypto.js';
import type { ConnectionStores } from '../connections-store.js';
import { one, transaction } from './db.js';
import { accountFromRow, connectionFromRow, type AccountRow, type ConnectionRow } from '../rows.js';
import { CLAIM_SELECT, liveHolder, type ClaimRow } from '../provider-claims-store.js';

type Parts = Omit<
  ConnectionStores,
  | 'savePortalTokens'
  | 'getPortalTokens'
  | 'listPortals'
  | 'markPortalReinstall'
  | 'rememberOAuthState'
  | 'consumeOAuthState'
>;
const now = () => new Date().toISOString();
const SEALED: [table: string, key: string, column: string][] = [
  ['accounts', 'account_id', 'credentials_sealed'],
  ['connections', 'connection_id', 'credentials_sealed'],
  ['portal_tokens', 'portal_id', 'access_token_sealed'],
  ['portal_tokens', 'portal_id', 'refresh_token_sealed'],
];

/** Connections, the account lifecycle, and re-sealing for key rotation: the SQLite part's behaviour on PostgreSQL. */
export function postgresConnections(pool: pg.Pool, box: Keyring): Parts {
  const find = async (where: string, values: unknown[]) => {
    const row = await one<ConnectionRow>(pool, `SELECT * FROM connections WHERE ${where}`, values);
    return row && connectionFromRow(row);
  };
  return {
    async addPendingConnection(c, credentials) {
      await pool.query(
        `INSERT INTO connections (connection_id, portal_id, channel_id, provider, name, delivery_identifier_type, delivery_identifier_value, credentials_sealed, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9)`,
        [
          c.connectionId,
          c.portalId,
          c.channelId,
          c.provider,
          c.name,
          c.deliveryIdentifier.type,
          c.deliveryIdentifier.value,
          box.seal(JSON.stringify(credentials)),
          now(),
        ],
      );
    },
    getConnection: (connectionId) => find('connection_id = $1', [connectionId]),
    findPendingConnection: (portalId, value) =>
      find(
        "portal_id = $1 AND delivery_identifier_value = $2 AND status = 'pending' ORDER BY created_at DESC LIMIT 1",
        [portalId, value],
      ),
    findConnectionByAccount: (accountId) => find('account_id = $1', [accountId]),
    async commitConnection(connectionId, account) {
      await transaction(pool, async (client) => {
        const row = await one<ConnectionRow>(client, 'SELECT * FROM connections WHERE connection_id = $1 FOR UPDATE', [
          connectionId,
        ]);
        if (!row || row.status !== 'pending' || !row.credentials_sealed)
          throw new Error(`connection ${connectionId} is not pending`);
        await client.query(
          `INSERT INTO accounts (account_id, portal_id, channel_id, provider, name, delivery_identifier_type, delivery_identifier_value, authorized, credentials_sealed, updated_at, inbox_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (account_id) DO UPDATE SET name = excluded.name, authorized = excluded.authorized,
             credentials_sealed = excluded.credentials_sealed, updated_at = excluded.updated_at, inbox_id = excluded.inbox_id`,
          [
            account.accountId,
            account.portalId,
            account.channelId,
            row.provider,
            account.name,
            row.delivery_identifier_type,
            row.delivery_identifier_value,
            account.authorized ? 1 : 0,
            row.credentials_sealed,
            now(),
            account.inboxId,
          ],
        );
        // The credentials now live on the account row only.
        await client.query(
          "UPDATE connections SET status = 'connected', account_id = $1, credentials_sealed = NULL, updated_at = $2 WHERE connection_id = $3",
          [account.accountId, now(), connectionId],
        );
      });
    },
    async deletePendingConnection(connectionId) {
      await transaction(pool, async (client) => {
        await client.query("DELETE FROM connections WHERE connection_id = $1 AND status = 'pending'", [connectionId]);
        // A connection that became an account keeps its claim until the account is removed.
        await client.query(
          "DELETE FROM provider_claims WHERE connection_id = $1 AND NOT EXISTS (SELECT 1 FROM connections WHERE connection_id = $1 AND status = 'connected')",
          [connectionId],
        );
      });
    },
    claimProviderIdentity: (wanted, cutoffs) =>
      transaction(pool, async (client) => {
        const values = [wanted.identity, wanted.connectionId, wanted.portalId, wanted.provider, wanted.name, now()];
        for (;;) {
          // The primary key decides a race: a concurrent insert of the same identity waits for this one, then
          // conflicts.
          const inserted = await client.query(
            'INSERT INTO provider_claims (identity, connection_id, portal_id, provider, name, claimed_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (identity) DO NOTHING',
            values,
          );
          if (inserted.rowCount === 1) return undefined;
          // Lock first, read after: two takeovers of a dead claim are serialised, and the second's read (a new
          // statement)
          // sees the first's fresh claim with its own connection, not the join as it was before the wait.
          const locked = await client.query('SELECT identity FROM provider_claims WHERE identity = $1 FOR UPDATE', [
            wanted.identity,
          ]);
          if (locked.rowCount === 0) continue; // released in between: try the insert again
          const row = (await one<ClaimRow>(client, `${CLAIM_SELECT} WHERE c.identity = $1`, [wanted.identity]))!;
          if (row.connection_id !== wanted.connectionId) {
            const holder = liveHolder(row, cutoffs);
            if (holder) return holder;
            await client.query(
              "UPDATE connections SET status = 'removed', credentials_sealed = NULL, updated_at = $1 WHERE connection_id = $2 AND status = 'pending'",
              [now(), row.connection_id],
            );
          }
          await client.query(
            'UPDATE provider_claims SET connection_id = $2, portal_id = $3, provider = $4, name = $5, claimed_at = $6 WHERE identity = $1',
            values,
          );
          return undefined;
        }
      }),
    async updateAccountState(accountId, state) {
      await pool.query(
        'UPDATE accounts SET authorized = $1, name = $2, inbox_id = $3, updated_at = $4 WHERE account_id = $5',
        [state.authorized ? 1 : 0, state.name, state.inboxId, now(), accountId],
      );
    },
    async deleteAccount(accountId) {
      await transaction(pool, async (client) => {
        await client.query(
          'DELETE FROM provider_claims WHERE connection_id IN (SELECT connection_id FROM connections WHERE account_id = $1)',
          [accountId],
        );
        await client.query('DELETE FROM accounts WHERE account_id = $1', [accountId]);
        await client.query(
          "UPDATE connections SET status = 'removed', credentials_sealed = NULL, updated_at = $1 WHERE account_id = $2",
          [now(), accountId],
        );
      });
    },
    async listAccounts() {
      const { rows } = await pool.query<AccountRow>('SELECT * FROM accounts ORDER BY account_id');
      return rows.map((r) => ({ ...accountFromRow(r), ...(r.inbox_id ? { inboxId: String(r.inbox_id) } : {}) }));
    },
    resealSecrets: () =>
      transaction(pool, async (client) => {
        let resealed = 0;
        let total = 0;
        for (const [table, key, column] of SEALED) {
          const { rows } = await client.query<{ id: string; sealed: string }>(
            `SELECT ${key} AS id, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL FOR UPDATE`,
          );
          for (const row of rows) {
            total += 1;
            if (!box.needsReseal(row.sealed)) continue;
            await client.query(`UPDATE ${table} SET ${column} = $1 WHERE ${key} = $2`, [
              box.seal(box.open(row.sealed)),
              row.id,
            ]);
            resealed += 1;
          }
        }
        return { resealed, total };
      }),
  };
}
