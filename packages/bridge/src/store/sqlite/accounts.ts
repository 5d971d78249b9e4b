import type Database from 'better-sqlite3';
import type { SecretBox } from '../crypto.js';
import type { AccountStore } from '../accounts-store.js';
import { accountFromRow, type AccountRow } from '../rows.js';

export function sqliteAccounts(db: Database.Database, box: SecretBox): AccountStore {
  const upsert = db.prepare(`
    INSERT INTO accounts (account_id, portal_id, channel_id, provider, name, delivery_identifier_type,
      delivery_identifier_value, authorized, credentials_sealed, updated_at)
    VALUES (@account_id, @portal_id, @channel_id, @provider, @name, @delivery_identifier_type,
      @delivery_identifier_value, @authorized, @credentials_sealed, @updated_at)
    ON CONFLICT (account_id) DO UPDATE SET portal_id = excluded.portal_id, channel_id = excluded.channel_id,
      provider = excluded.provider, name = excluded.name, delivery_identifier_type = excluded.delivery_identifier_type,
      delivery_identifier_value = excluded.delivery_identifier_value, authorized = excluded.authorized,
      credentials_sealed = excluded.credentials_sealed, updated_at = excluded.updated_at`);
  const select = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE account_id = ?');

  return {
    async upsertAccount(account) {
      upsert.run({
        account_id: account.accountId,
        portal_id: account.portalId,
        channel_id: account.channelId,
        provider: account.provider,
        name: account.name,
        delivery_identifier_type: account.deliveryIdentifier.type,
        delivery_identifier_value: account.deliveryIdentifier.value,
        authorized: account.authorized ? 1 : 0,
        credentials_sealed: box.seal(JSON.stringify(account.credentials)),
        updated_at: new Date().toISOString(),
      });
    },
    async getAccount(accountId) {
      const row = select.get(accountId);
      return (
        row && {
          ...accountFromRow(row),
          credentials: JSON.parse(box.open(row.credentials_sealed)) as Record<string, string>,
        }
      );
    },
  };
}
