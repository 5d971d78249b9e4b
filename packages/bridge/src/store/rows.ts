import type { AccountId, ConversationKey, ProviderKind } from '../domain/ids.js';
import type { SecretBox } from './crypto.js';
import type { ConversationThread } from './inbound-types.js';
import type { Account, DeliveryIdentifier } from './accounts-store.js';
import type { Connection, PortalTokens } from './connections-store.js';
import type { MessageMapping } from './messages-store.js';

/**
 * The tables' rows as both backends read them (one schema, one set of migrations), and the one
 * mapping from each row to the domain. SQLite and PostgreSQL parts differ only in how they query.
 */

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

export interface ConnectionRow {
  connection_id: string;
  portal_id: string;
  channel_id: string;
  provider: string;
  name: string;
  delivery_identifier_type: string;
  delivery_identifier_value: string;
  credentials_sealed: string | null;
  account_id: string | null;
  status: string;
}

export interface MappingRow {
  message_key: string;
  direction: string;
  account_id: string;
  conversation_key: string;
  provider_message_id: string;
  hubspot_message_id: string;
  hubspot_thread_id: string | null;
}

export interface ConversationRow {
  conversation_key: string;
  account_id: string;
  integration_thread_id: string;
  generation: number;
  hubspot_thread_id: string | null;
  last_message_at: string | null;
  thread_open_seen_at: string | null;
}

export interface TokenRow {
  portal_id: string;
  access_token_sealed: string;
  refresh_token_sealed: string;
  expires_at: string;
  scopes: string;
  status: string;
  status_reason: string | null;
}

const deliveryIdentifier = (type: string, value: string): DeliveryIdentifier => ({
  type: type as DeliveryIdentifier['type'],
  value,
});

/** The account without its credentials; callers open `credentials_sealed` with their key ring. */
export function accountFromRow(row: AccountRow): Account {
  return {
    accountId: row.account_id as AccountId,
    portalId: row.portal_id,
    channelId: row.channel_id,
    provider: row.provider as ProviderKind,
    name: row.name,
    deliveryIdentifier: deliveryIdentifier(row.delivery_identifier_type, row.delivery_identifier_value),
    authorized: Number(row.authorized) === 1,
  };
}

export function connectionFromRow(row: ConnectionRow): Connection {
  return {
    connectionId: row.connection_id,
    portalId: row.portal_id,
    channelId: row.channel_id,
    provider: row.provider as ProviderKind,
    name: row.name,
    deliveryIdentifier: deliveryIdentifier(row.delivery_identifier_type, row.delivery_identifier_value),
    ...(row.account_id ? { accountId: row.account_id as AccountId } : {}),
    status: row.status as Connection['status'],
  };
}

export function mappingFromRow(row: MappingRow): MessageMapping {
  return {
    messageKey: row.message_key,
    direction: row.direction as MessageMapping['direction'],
    accountId: row.account_id as AccountId,
    conversationKey: row.conversation_key as ConversationKey,
    providerMessageId: row.provider_message_id,
    hubspotMessageId: row.hubspot_message_id,
    hubspotThreadId: row.hubspot_thread_id ?? undefined,
  };
}

export function conversationFromRow(row: ConversationRow): ConversationThread {
  return {
    conversationKey: row.conversation_key as ConversationKey,
    accountId: row.account_id as AccountId,
    integrationThreadId: row.integration_thread_id,
    generation: row.generation,
    hubspotThreadId: row.hubspot_thread_id ?? undefined,
    lastMessageAt: row.last_message_at ?? undefined,
    threadOpenSeenAt: row.thread_open_seen_at ?? undefined,
  };
}

export function tokensFromRow(row: TokenRow, box: SecretBox): PortalTokens {
  return {
    portalId: row.portal_id,
    accessToken: box.open(row.access_token_sealed),
    refreshToken: box.open(row.refresh_token_sealed),
    expiresAt: row.expires_at,
    scopes: row.scopes.split(' ').filter(Boolean),
    status: row.status === 'reinstall' ? 'reinstall' : 'active',
    ...(row.status_reason ? { statusReason: row.status_reason } : {}),
  };
}

/** A message's send time in epoch ms for ordering; when it cannot be read, the time it was queued. */
export function sentMs(sentAt: string, fallbackMs: number): number {
  const ms = Date.parse(sentAt);
  return Number.isFinite(ms) ? ms : fallbackMs;
}
