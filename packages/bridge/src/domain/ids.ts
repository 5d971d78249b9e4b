/**
 * Identifiers and the keys built from them. Workflow-safe: no I/O, no Node built-ins.
 * Each key's uniqueness scope is stated where it is built.
 */

/**
 * A provider's kind: the path segment of its webhooks and the `provider` of its stored accounts. Which kinds exist is
 * the registry's to say (src/providers/registry.ts `providerKinds()`), not the domain's; a plain string so stored rows
 * and workflow inputs carry it as they are.
 */
export type ProviderKind = string;

/** HubSpot channel account id; unique within the app's custom channel. The bridge's account id. */
export type AccountId = string & { readonly __brand: 'AccountId' };
/** The provider's own message id; unique within one account. */
export type ProviderMessageId = string & { readonly __brand: 'ProviderMessageId' };
/** `{accountId}:{providerChatId}`; unique across the bridge. */
export type ConversationKey = string & { readonly __brand: 'ConversationKey' };

export const asAccountId = (value: string) => value as AccountId;
export const asProviderMessageId = (value: string) => value as ProviderMessageId;

export function conversationKey(accountId: AccountId, providerChatId: string): ConversationKey {
  return `${accountId}:${providerChatId}` as ConversationKey;
}

/** Workflow id of an inbound message, and its HubSpot `integrationIdempotencyId`. */
export function inboundWorkflowId(accountId: AccountId, providerMessageId: ProviderMessageId): string {
  return `inbound:${accountId}:${providerMessageId}`;
}

/** Workflow id of an outbound (rep → customer) message. */
export function outboundWorkflowId(hubspotMessageId: string): string {
  return `outbound:${hubspotMessageId}`;
}
