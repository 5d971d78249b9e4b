import type { AccountId, ProviderKind } from '../../domain/ids.js';
import type { DeliveryIdentifier } from '../types.js';

export interface AccountRow {
  account_id: string;
  portal_id: string;
  channel_id: string;
  provider: string;
  name: string;
  delivery_identifier_type: string;
  delivery_identifier_value: string;
  authorized: number;
  credentials_sealed: string;
  inbox_id?: string | null;
}

/** The account without its credentials (same mapping as the SQLite part). */
export function accountFromRow(row: AccountRow) {
  return {
    accountId: row.account_id as AccountId,
    portalId: row.portal_id,
    channelId: row.channel_id,
    provider: row.provider as ProviderKind,
    name: row.name,
    deliveryIdentifier: { type: row.delivery_identifier_type as DeliveryIdentifier['type'], value: row.delivery_identifier_value },
    authorized: row.authorized === 1,
  };
}
