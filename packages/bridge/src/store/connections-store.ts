import type { AccountId, ProviderKind } from '../domain/ids.js';
import type { Account, DeliveryIdentifier } from './accounts-store.js';
import type { ProviderClaimStore } from './provider-claims-store.js';

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
  /**
   * One bot, number or connector is one account: the claim that keeps two connections from taking it
   * (provider-claims-store.ts).
   */
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
  addPendingConnection(
    connection: Omit<Connection, 'status' | 'accountId'>,
    credentials: Readonly<Record<string, string>>,
  ): Promise<void>;
  getConnection(connectionId: string): Promise<Connection | undefined>;
  /** The newest pending connection of a portal with this delivery identifier value. */
  findPendingConnection(portalId: string, deliveryIdentifierValue: string): Promise<Connection | undefined>;
  findConnectionByAccount(accountId: string): Promise<Connection | undefined>;
  /** Turns a pending connection into an account (credentials move to the account row), in one transaction. */
  commitConnection(
    connectionId: string,
    account: Omit<Account, 'provider' | 'deliveryIdentifier'> & { readonly inboxId: string },
  ): Promise<void>;
  /** Drops a pending connection that never completed (its credentials go with it). */
  deletePendingConnection(connectionId: string): Promise<void>;

  /** Follows HubSpot's view of the account: on/off, name and inbox (help desk moves). */
  updateAccountState(
    accountId: string,
    state: { readonly authorized: boolean; readonly name: string; readonly inboxId: string },
  ): Promise<void>;
  /** Removes the account and its credentials; its connection is marked removed. */
  deleteAccount(accountId: string): Promise<void>;
  listAccounts(): Promise<(Account & { readonly inboxId?: string })[]>;

  /** Re-seals every stored secret with the current key; returns how many values were re-sealed. */
  resealSecrets(): Promise<{ readonly resealed: number; readonly total: number }>;
}
