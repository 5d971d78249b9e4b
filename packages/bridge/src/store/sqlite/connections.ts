import type Database from 'better-sqlite3';
import type { AccountId, ProviderKind } from '../../domain/ids.js';
import type { Keyring } from '../crypto.js';
import type { DeliveryIdentifier } from '../accounts-store.js';
import type { ConnectionStores } from '../connections-store.js';
import { connectionFromRow, type ConnectionRow } from '../rows.js';
import {
  CLAIM_SELECT,
  liveHolder,
  type ClaimCutoffs,
  type ClaimRow,
  type ProviderClaim,
  type ProviderClaimHolder,
} from '../provider-claims-store.js';

// Kept for importers outside the store (src/api/connect/already-connected.ts); new code imports
// ../provider-claims-store.js.
export type { ProviderClaimHolder } from '../provider-claims-store.js';

type Parts = Omit<
  ConnectionStores,
  | 'savePortalTokens'
  | 'getPortalTokens'
  | 'listPortals'
  | 'markPortalReinstall'
  | 'rememberOAuthState'
  | 'consumeOAuthState'
>;

/** Connections from HubSpot's inbox settings, the account lifecycle, and re-sealing for key rotation. */
export function sqliteConnections(db: Database.Database, box: Keyring): Parts {
  const byId = db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE connection_id = ?');
  const now = () => new Date().toISOString();

  const commit = db.transaction((connectionId: string, account: Parameters<Parts['commitConnection']>[1]) => {
    const row = byId.get(connectionId);
    if (!row || row.status !== 'pending' || !row.credentials_sealed)
      throw new Error(`connection ${connectionId} is not pending`);
    db.prepare(
      `
      INSERT INTO accounts (account_id, portal_id, channel_id, provider, name, delivery_identifier_type,
        delivery_identifier_value, authorized, credentials_sealed, updated_at, inbox_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account_id) DO UPDATE SET name = excluded.name, authorized = excluded.authorized,
        credentials_sealed = excluded.credentials_sealed, updated_at = excluded.updated_at, inbox_id = excluded.inbox_id`,
    ).run(
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
    );
    // The credentials now live on the account row only.
    db.prepare(
      "UPDATE connections SET status = 'connected', account_id = ?, credentials_sealed = NULL, updated_at = ? WHERE connection_id = ?",
    ).run(account.accountId, now(), connectionId);
  });

  const remove = db.transaction((accountId: string) => {
    db.prepare(
      'DELETE FROM provider_claims WHERE connection_id IN (SELECT connection_id FROM connections WHERE account_id = ?)',
    ).run(accountId);
    db.prepare('DELETE FROM accounts WHERE account_id = ?').run(accountId);
    db.prepare(
      "UPDATE connections SET status = 'removed', credentials_sealed = NULL, updated_at = ? WHERE account_id = ?",
    ).run(now(), accountId);
  });

  const dropPending = db.transaction((connectionId: string) => {
    db.prepare("DELETE FROM connections WHERE connection_id = ? AND status = 'pending'").run(connectionId);
    // A connection that became an account keeps its claim until the account is removed.
    db.prepare(
      "DELETE FROM provider_claims WHERE connection_id = ? AND NOT EXISTS (SELECT 1 FROM connections WHERE connection_id = ? AND status = 'connected')",
    ).run(connectionId, connectionId);
  });

  // BEGIN IMMEDIATE: the write lock is taken before the read, so two processes cannot both see the identity free.
  const claim = db.transaction((wanted: ProviderClaim, cutoffs: ClaimCutoffs): ProviderClaimHolder | undefined => {
    const row = db.prepare<[string], ClaimRow>(`${CLAIM_SELECT} WHERE c.identity = ?`).get(wanted.identity);
    if (row && row.connection_id !== wanted.connectionId) {
      const holder = liveHolder(row, cutoffs);
      if (holder) return holder;
      db.prepare(
        "UPDATE connections SET status = 'removed', credentials_sealed = NULL, updated_at = ? WHERE connection_id = ? AND status = 'pending'",
      ).run(now(), row.connection_id);
    }
    db.prepare(
      `INSERT INTO provider_claims (identity, connection_id, portal_id, provider, name, claimed_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (identity) DO UPDATE SET connection_id = excluded.connection_id, portal_id = excluded.portal_id,
        provider = excluded.provider, name = excluded.name, claimed_at = excluded.claimed_at`,
    ).run(wanted.identity, wanted.connectionId, wanted.portalId, wanted.provider, wanted.name, now());
    return undefined;
  });

  const reseal = db.transaction(() => {
    let resealed = 0;
    let total = 0;
    const columns: [table: string, key: string, column: string][] = [
      ['accounts', 'account_id', 'credentials_sealed'],
      ['connections', 'connection_id', 'credentials_sealed'],
      ['portal_tokens', 'portal_id', 'access_token_sealed'],
      ['portal_tokens', 'portal_id', 'refresh_token_sealed'],
    ];
    for (const [table, key, column] of columns) {
      const rows = db
        .prepare(`SELECT ${key} AS id, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL`)
        .all() as { id: string; sealed: string }[];
      for (const row of rows) {
        total += 1;
        if (!box.needsReseal(row.sealed)) continue;
        db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`).run(box.seal(box.open(row.sealed)), row.id);
        resealed += 1;
      }
    }
    return { resealed, total };
  });

  return {
    async addPendingConnection(connection, credentials) {
      db.prepare(
        `
        INSERT INTO connections (connection_id, portal_id, channel_id, provider, name, delivery_identifier_type,
          delivery_identifier_value, credentials_sealed, status, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ).run(
        connection.connectionId,
        connection.portalId,
        connection.channelId,
        connection.provider,
        connection.name,
        connection.deliveryIdentifier.type,
        connection.deliveryIdentifier.value,
        box.seal(JSON.stringify(credentials)),
        now(),
        now(),
      );
    },
    async getConnection(connectionId) {
      const row = byId.get(connectionId);
      return row && connectionFromRow(row);
    },
    async findPendingConnection(portalId, value) {
      const row = db
        .prepare<[string, string], ConnectionRow>(
          "SELECT * FROM connections WHERE portal_id = ? AND delivery_identifier_value = ? AND status = 'pending' ORDER BY created_at DESC LIMIT 1",
        )
        .get(portalId, value);
      return row && connectionFromRow(row);
    },
    async findConnectionByAccount(accountId) {
      const row = db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE account_id = ?').get(accountId);
      return row && connectionFromRow(row);
    },
    async commitConnection(connectionId, account) {
      commit(connectionId, account);
    },
    async deletePendingConnection(connectionId) {
      dropPending(connectionId);
    },
    async claimProviderIdentity(wanted, cutoffs) {
      return claim.immediate(wanted, cutoffs);
    },
    async updateAccountState(accountId, state) {
      db.prepare('UPDATE accounts SET authorized = ?, name = ?, inbox_id = ?, updated_at = ? WHERE account_id = ?').run(
        state.authorized ? 1 : 0,
        state.name,
        state.inboxId,
        now(),
        accountId,
      );
    },
    async deleteAccount(accountId) {
      remove(accountId);
    },
    async listAccounts() {
      const rows = db.prepare('SELECT * FROM accounts ORDER BY account_id').all() as Record<
        string,
        string | number | null
      >[];
      return rows.map((r) => ({
        accountId: String(r.account_id) as AccountId,
        portalId: String(r.portal_id),
        channelId: String(r.channel_id),
        provider: String(r.provider) as ProviderKind,
        name: String(r.name),
        deliveryIdentifier: {
          type: String(r.delivery_identifier_type) as DeliveryIdentifier['type'],
          value: String(r.delivery_identifier_value),
        },
        authorized: r.authorized === 1,
        ...(r.inbox_id ? { inboxId: String(r.inbox_id) } : {}),
      }));
    },
    async resealSecrets() {
      return reseal();
    },
  };
}
