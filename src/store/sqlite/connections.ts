import type Database from 'better-sqlite3';
import type { AccountId, ProviderKind } from '../../domain/ids.js';
import type { Keyring } from '../crypto.js';
import type { ConnectionStores, DeliveryIdentifier } from '../types.js';
import { connectionFromRow, type ConnectionRow } from '../rows.js';

type Parts = Omit<ConnectionStores, 'savePortalTokens' | 'getPortalTokens' | 'listPortals' | 'markPortalReinstall' | 'rememberOAuthState' | 'consumeOAuthState'>;

/** Connections from HubSpot's inbox settings, the account lifecycle, and re-sealing for key rotation. */
export function sqliteConnections(db: Database.Database, box: Keyring): Parts {
  const byId = db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE connection_id = ?');
  const now = () => new Date().toISOString();

  const commit = db.transaction((connectionId: string, account: Parameters<Parts['commitConnection']>[1]) => {
    const row = byId.get(connectionId);
    if (!row || row.status !== 'pending' || !row.credentials_sealed) throw new Error(`connection ${connectionId} is not pending`);
    db.prepare(`
      INSERT INTO accounts (account_id, portal_id, channel_id, provider, name, delivery_identifier_type,
        delivery_identifier_value, authorized, credentials_sealed, updated_at, inbox_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account_id) DO UPDATE SET name = excluded.name, authorized = excluded.authorized,
        credentials_sealed = excluded.credentials_sealed, updated_at = excluded.updated_at, inbox_id = excluded.inbox_id`).run(
      account.accountId, account.portalId, account.channelId, row.provider, account.name, row.delivery_identifier_type,
      row.delivery_identifier_value, account.authorized ? 1 : 0, row.credentials_sealed, now(), account.inboxId,
    );
    // The credentials now live on the account row only.
    db.prepare("UPDATE connections SET status = 'connected', account_id = ?, credentials_sealed = NULL, updated_at = ? WHERE connection_id = ?")
      .run(account.accountId, now(), connectionId);
  });

  const remove = db.transaction((accountId: string) => {
    db.prepare('DELETE FROM accounts WHERE account_id = ?').run(accountId);
    db.prepare("UPDATE connections SET status = 'removed', credentials_sealed = NULL, updated_at = ? WHERE account_id = ?").run(now(), accountId);
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
      const rows = db.prepare(`SELECT ${key} AS id, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL`).all() as { id: string; sealed: string }[];
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
      db.prepare(`
        INSERT INTO connections (connection_id, portal_id, channel_id, provider, name, delivery_identifier_type,
          delivery_identifier_value, credentials_sealed, status, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`).run(
        connection.connectionId, connection.portalId, connection.channelId, connection.provider, connection.name,
        connection.deliveryIdentifier.type, connection.deliveryIdentifier.value, box.seal(JSON.stringify(credentials)), now(), now(),
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
      db.prepare("DELETE FROM connections WHERE connection_id = ? AND status = 'pending'").run(connectionId);
    },
    async updateAccountState(accountId, state) {
      db.prepare('UPDATE accounts SET authorized = ?, name = ?, inbox_id = ?, updated_at = ? WHERE account_id = ?').run(
        state.authorized ? 1 : 0, state.name, state.inboxId, now(), accountId,
      );
    },
    async deleteAccount(accountId) {
      remove(accountId);
    },
    async listAccounts() {
      const rows = db.prepare('SELECT * FROM accounts ORDER BY account_id').all() as Record<string, string | number | null>[];
      return rows.map((r) => ({
        accountId: String(r.account_id) as AccountId,
        portalId: String(r.portal_id),
        channelId: String(r.channel_id),
        provider: String(r.provider) as ProviderKind,
        name: String(r.name),
        deliveryIdentifier: { type: String(r.delivery_identifier_type) as DeliveryIdentifier['type'], value: String(r.delivery_identifier_value) },
        authorized: r.authorized === 1,
        ...(r.inbox_id ? { inboxId: String(r.inbox_id) } : {}),
      }));
    },
    async resealSecrets() {
      return reseal();
    },
  };
}
