import type { AccountId, ConversationKey, ProviderKind } from '../domain/ids.js';

/** HubSpot's delivery identifier: how HubSpot names one side of a conversation. */
export interface DeliveryIdentifier {
  readonly type: 'HS_EMAIL_ADDRESS' | 'HS_PHONE_NUMBER' | 'HS_SHORT_CODE' | 'CHANNEL_SPECIFIC_OPAQUE_ID';
  readonly value: string;
}

/** A connected channel account: one provider account (bot, phone number, connector) in one HubSpot inbox. */
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

export interface MessageMapping {
  /** The message's workflow id, e.g. `inbound:{accountId}:{providerMessageId}`. */
  readonly messageKey: string;
  readonly direction: 'inbound' | 'outbound';
  readonly accountId: AccountId;
  readonly conversationKey: ConversationKey;
  readonly providerMessageId: string;
  readonly hubspotMessageId: string;
  readonly hubspotThreadId?: string;
}

export interface AccountStore {
  /** Inserts or replaces an account and its credentials (encrypted at rest). */
  upsertAccount(account: AccountWithCredentials): Promise<void>;
  getAccount(accountId: string): Promise<AccountWithCredentials | undefined>;
}

export interface MessageStore {
  /** Records a published message; a second call with the same key keeps the first row. */
  recordMessage(mapping: MessageMapping): Promise<void>;
  findMessage(messageKey: string): Promise<MessageMapping | undefined>;
}

export interface StoreLifecycle {
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Everything the bridge persists outside Temporal, one part per concern (each part's SQLite code is in
 * sqlite/<part>.ts). Every method is idempotent where it writes.
 */
export type Store = AccountStore & MessageStore & StoreLifecycle;
