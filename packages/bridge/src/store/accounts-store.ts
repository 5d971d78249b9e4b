import type { AccountId, ProviderKind } from '../domain/ids.js';

/** HubSpot's delivery identifier: how HubSpot names one side of a conversation. */
export interface DeliveryIdentifier {
  readonly type: 'HS_EMAIL_ADDRESS' | 'HS_PHONE_NUMBER' | 'HS_SHORT_CODE' | 'CHANNEL_SPECIFIC_OPAQUE_ID';
  readonly value: string;
}

/** A connected channel account: one provider account (a bot, a number, a connector) in one HubSpot inbox. */
export interface Account {
  readonly accountId: AccountId;
  readonly portalId: string;
  readonly channelId: string;
  readonly provider: ProviderKind;
  readonly name: string;
  readonly deliveryIdentifier: DeliveryIdentifier;
  readonly authorized: boolean;
}

/** An account plus its provider credentials, decrypted. Only activities and the api's verify step see this. */
export interface AccountWithCredentials extends Account {
  readonly credentials: Readonly<Record<string, string>>;
}

export interface AccountStore {
  /** Inserts or replaces an account and its credentials (encrypted at rest). */
  upsertAccount(account: AccountWithCredentials): Promise<void>;
  getAccount(accountId: string): Promise<AccountWithCredentials | undefined>;
}
