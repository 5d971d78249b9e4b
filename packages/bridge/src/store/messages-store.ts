import type { AccountId, ConversationKey } from '../domain/ids.js';

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

export interface MessageStore {
  /** Records a published message; a second call with the same key keeps the first row. */
  recordMessage(mapping: MessageMapping): Promise<void>;
  findMessage(messageKey: string): Promise<MessageMapping | undefined>;
  /**
   * The message keys (workflow ids) recorded with this HubSpot message id, on any account, oldest first: how an
   * operator finds a message by its HubSpot id once its workflow no longer sets HubSpotMessageId (inbound version 3).
   */
  findMessageKeys(hubspotMessageId: string): Promise<string[]>;
  /**
   * The provider's id of a message the bridge published into HubSpot, by the HubSpot message id it got there: what
   * a rep's reply names in `inReplyToId`, so the reply goes out as a reply to the customer's message. Undefined when
   * the bridge never published that message on this account.
   */
  findProviderMessageId(accountId: string, hubspotMessageId: string): Promise<string | undefined>;
  /**
   * Whether the bridge carried a message of the same direction into the same conversation after this one: the rep's
   * reply then answers something that is no longer the last word, and the reply link says which.
   */
  hasLaterMessage(accountId: string, hubspotMessageId: string): Promise<boolean>;
}
