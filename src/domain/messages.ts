import type { AccountId, ConversationKey, ProviderKind, ProviderMessageId } from './ids.js';

/** Media kinds every provider maps onto; see docs/GENERIC_PROVIDER.md for the generic names. */
export type MediaKind = 'image' | 'audio' | 'voice' | 'video' | 'sticker' | 'file';
export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'audio', 'voice', 'video', 'sticker', 'file'];

/** Who wrote the message, as the provider knows them. */
export interface Sender {
  readonly id: string;
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
}

/**
 * Metadata of one inbound media item. The bytes never travel through workflow history:
 * `ref` is what the provider adapter needs to fetch them again inside an activity.
 */
export interface InboundMedia {
  readonly kind: MediaKind;
  readonly contentType?: string;
  readonly filename?: string;
  readonly sizeBytes?: number;
  readonly ref: string;
}

/** A customer's message, normalised from any provider. Safe to put in workflow input: no secrets, no bytes. */
export interface InboundMessage {
  readonly accountId: AccountId;
  readonly provider: ProviderKind;
  readonly providerMessageId: ProviderMessageId;
  readonly providerChatId: string;
  readonly conversationKey: ConversationKey;
  readonly sender: Sender;
  readonly text: string;
  readonly media: readonly InboundMedia[];
  readonly replyToProviderMessageId?: string;
  /** ISO-8601 time the customer sent it. */
  readonly sentAt: string;
}
