import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that make messages findable in Temporal's UI and CLI.
 * The names must match the dev server's `--search-attribute` flags
 * (packages/dev-tools/src/local/temporal-dev-server.ts).
 */
export const AccountIdKey = defineSearchAttributeKey('BridgeAccountId', SearchAttributeType.KEYWORD);
export const ConversationKeyKey = defineSearchAttributeKey('BridgeConversationKey', SearchAttributeType.KEYWORD);
export const ProviderMessageIdKey = defineSearchAttributeKey('ProviderMessageId', SearchAttributeType.KEYWORD);
export const HubSpotMessageIdKey = defineSearchAttributeKey('HubSpotMessageId', SearchAttributeType.KEYWORD);
export const DirectionKey = defineSearchAttributeKey('BridgeDirection', SearchAttributeType.KEYWORD);
export const ProviderKey = defineSearchAttributeKey('BridgeProvider', SearchAttributeType.KEYWORD);
export const StatusKey = defineSearchAttributeKey('BridgeStatus', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTE_KEYS = [
  AccountIdKey,
  ConversationKeyKey,
  ProviderMessageIdKey,
  HubSpotMessageIdKey,
  DirectionKey,
  ProviderKey,
  StatusKey,
] as const;
