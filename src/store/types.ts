import type { AccountId, ConversationKey, ProviderKind } from '../domain/ids.js';
import type { OutboundStore } from './sqlite/outbound.js';
import type { OutboundPartStore } from './sqlite/outbound-parts.js';
import type { ApiPresenceStore } from './sqlite/api-presence.js';
import type { DeadLetterStore } from './sqlite/dead-letters.js';

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

export interface StoreLifecycle {
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Everything the bridge persists outside Temporal, one part per concern (each part's SQLite code is in
 * sqlite/<part>.ts). Every method is idempotent where it writes.
 */
// Dead letters: HubSpot events the bridge could not use, kept for a replay (sqlite/dead-letters.ts, docs/OPERATING.md).
export type { DeadLetter, DeadLetterLimits, DeadLetterStore, DeadLetterSummary, NewDeadLetter } from './sqlite/dead-letters.js';
export type Store = AccountStore & MessageStore & OutboundStore & OutboundPartStore & ApiPresenceStore & DeadLetterStore & StoreLifecycle & InboundStores & ConnectionStores;

// ── Issue 7: portal tokens, install states, connections, account lifecycle, key rotation (sqlite/tokens.ts,
// sqlite/oauth-states.ts, sqlite/connections.ts) ──

/** A portal's OAuth tokens, decrypted. `status: 'reinstall'` when the refresh token stopped working. */
export interface PortalTokens {
  readonly portalId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires (ISO-8601). */
  readonly expiresAt: string;
  readonly scopes: readonly string[];
  readonly status: 'active' | 'reinstall';
  readonly statusReason?: string;
}

/** What the bridge knows of one connection made from HubSpot's inbox settings; credentials stay sealed. */
export interface Connection {
  readonly connectionId: string;
  readonly portalId: string;
  readonly channelId: string;
  readonly provider: ProviderKind;
  readonly name: string;
  readonly deliveryIdentifier: DeliveryIdentifier;
  /** HubSpot's channel account id, once CHANNEL_ACCOUNT_CREATED named it. */
  readonly accountId?: AccountId;
  readonly status: 'pending' | 'connected' | 'removed';
}

export interface ConnectionStores {
  /** One bot, number or connector is one account: the claim that keeps two connections from taking it (sqlite/connections.ts). */
  claimProviderIdentity: ProviderClaimStore['claimProviderIdentity'];
  savePortalTokens(tokens: PortalTokens): Promise<void>;
  getPortalTokens(portalId: string): Promise<PortalTokens | undefined>;
  listPortals(): Promise<Pick<PortalTokens, 'portalId' | 'expiresAt' | 'status' | 'statusReason'>[]>;
  /** Keeps the tokens but marks the portal as needing a reinstall, with a reason an admin can read. */
  markPortalReinstall(portalId: string, reason: string): Promise<void>;

  /** Remembers an install state's nonce until `expiresAt`. */
  rememberOAuthState(nonce: string, expiresAt: Date): Promise<void>;
  /** True exactly once per remembered, unexpired nonce. */
  consumeOAuthState(nonce: string): Promise<boolean>;

  /** Records a connection as pending, its credentials sealed, until HubSpot creates the account. */
  addPendingConnection(connection: Omit<Connection, 'status' | 'accountId'>, credentials: Readonly<Record<string, string>>): Promise<void>;
  getConnection(connectionId: string): Promise<Connection | undefined>;
  /** The newest pending connection of a portal with this delivery identifier value. */
  findPendingConnection(portalId: string, deliveryIdentifierValue: string): Promise<Connection | undefined>;
  findConnectionByAccount(accountId: string): Promise<Connection | undefined>;
  /** Turns a pending connection into an account (credentials move to the account row), in one transaction. */
  commitConnection(connectionId: string, account: Omit<Account, 'provider' | 'deliveryIdentifier'> & { readonly inboxId: string }): Promise<void>;
  /** Drops a pending connection that never completed (its credentials go with it). */
  deletePendingConnection(connectionId: string): Promise<void>;

  /** Follows HubSpot's view of the account: on/off, name and inbox (help desk moves). */
  updateAccountState(accountId: string, state: { readonly authorized: boolean; readonly name: string; readonly inboxId: string }): Promise<void>;
  /** Removes the account and its credentials; its connection is marked removed. */
  deleteAccount(accountId: string): Promise<void>;
  listAccounts(): Promise<(Account & { readonly inboxId?: string })[]>;

  /** Re-seals every stored secret with the current key; returns how many values were re-sealed. */
  resealSecrets(): Promise<{ readonly resealed: number; readonly total: number }>;
}

// ── Issue 5: conversation ↔ thread mapping, staged inline media, HubSpot call pacing (sqlite/conversations.ts,
// sqlite/staged-media.ts, sqlite/rate-limit.ts) ──
export type { ConversationStore, ConversationThread, StagedMediaStore, StagedMedia, CallSlotStore, InboundTurn, InboundTurnStore } from './inbound-types.js';
import type { CallSlotStore, ConversationStore, InboundTurnStore, StagedMediaStore } from './inbound-types.js';
import type { SequencerStore } from './sequencer-types.js';
import type { ProviderClaimStore } from './sqlite/connections.js';
export type { LineTurn, SequencerStore, TurnClaim } from './sequencer-types.js';
// One customer, several ids: a WhatsApp phone number and business-scoped user id (chat-aliases.ts, sqlite/chat-aliases.ts).
export type { ChatAliasStore } from './chat-aliases.js';
import type { ChatAliasStore } from './chat-aliases.js';
export type InboundStores = ConversationStore & StagedMediaStore & CallSlotStore & InboundTurnStore & SequencerStore & ChatAliasStore;
