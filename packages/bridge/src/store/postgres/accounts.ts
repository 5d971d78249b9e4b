import type { SecretBox } from '../crypto.js';
import type { AccountStore } from '../accounts-store.js';
import { one, type Db } from './db.js';
import { accountFromRow, type AccountRow } from '../rows.js';

export function postgresAccounts(db: Db, box: SecretBox): AccountStore {
  return {
    async upsertAccount(a) {
      await db.query(
        `INSERT INTO accounts (account_id, portal_id, channel_id, provider, name, delivery_identifier_type,
           delivery_identifier_value, authorized, credentials_sealed, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (account_id) DO UPDATE SET portal_id = excluded.portal_id, channel_id = excluded.channel_id,
           provider = excluded.provider, name = excluded.name, delivery_identifier_type = excluded.delivery_identifier_type,
           delivery_identifier_value = excluded.delivery_identifier_value, authorized = excluded.authorized,
           credentials_sealed = excluded.credentials_sealed, updated_at = excluded.updated_at`,
        [
          a.accountId,
          a.portalId,
          a.channelId,
          a.provider,
          a.name,
          a.deliveryIdentifier.type,
          a.deliveryIdentifier.value,
          a.authorized ? 1 : 0,
          box.seal(JSON.stringify(a.credentials)),
          new Date().toISOString(),
        ],
      );
    },
    async getAccount(accountId) {
      const row = await one<AccountRow>(db, 'SELECT * FROM accounts WHERE account_id = $1', [accountId]);
      return (
        row && {
          ...accountFromRow(row),
          credentials: JSON.parse(box.open(row.credentials_sealed)) as Record<string, string>,
        }
      );
    },
  };
}
