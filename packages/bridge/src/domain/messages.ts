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

/** A shared map pin; mirrors HubSpot's LOCATION attachment. */
export interface SharedLocation {
  readonly latitude: number;
  readonly longitude: number;
  readonly name?: string;
  readonly address?: string;
  readonly url?: string;
}

/** A shared contact card; the fields HubSpot's CONTACT attachment (`contactProfile`) can carry, and a few more. */
export interface ContactCard {
  readonly name: {
    readonly formattedName?: string;
    readonly firstName?: string;
    readonly lastName?: string;
    readonly middleName?: string;
    readonly prefix?: string;
    readonly suffix?: string;
  };
  readonly phones: readonly { readonly phone: string; readonly type?: string; readonly providerUserId?: string }[];
  readonly emails: readonly { readonly email: string; readonly type?: string }[];
  readonly addresses: readonly {
    readonly street?: string;
    readonly city?: string;
    readonly state?: string;
    readonly zip?: string;
    readonly country?: string;
    readonly countryCode?: string;
    readonly type?: string;
  }[];
  readonly urls: readonly { readonly url: string; readonly type?: string }[];
  readonly org?: { readonly company?: string; readonly department?: string; readonly title?: string };
  readonly birthday?: string;
}

/** A customer's message, normalised from any provider. Safe to put in workflow input: no secrets, no bytes. */
export interface InboundMessage {
  readonly accountId: AccountId;
  readonly provider: ProviderKind;
  readonly providerMessageId: ProviderMessageId;
  readonly providerChatId: string;
  readonly conversationKey: ConversationKey;
  /**
   * Other ids the provider knows this same customer by, on this account (a business-scoped user id beside the phone
   * number, or the other way round). A provider whose customers can arrive under more than one id sets it on
   * every message, empty when this one names only `providerChatId`. The api then keeps one conversation per customer:
   * it may move `providerChatId` and `conversationKey` to the id the customer's conversation began with, listing the
   * message's own ids here instead (src/api/start-inbound.ts). `sender` stays as the provider named the writer.
   * Absent: `providerChatId` is the customer's only id, and no alias is looked up.
   */
  readonly alternateChatIds?: readonly string[];
  readonly sender: Sender;
  readonly text: string;
  /**
   * The same message with its formatting, as HTML already sanitised by the adapter (a connector's
   * `formatted` body), published as HubSpot's `richText` beside `text`. Absent for a plain message.
   */
  readonly richText?: string;
  readonly media: readonly InboundMedia[];
  readonly replyToProviderMessageId?: string;
  /** ISO-8601 time the customer sent it. */
  readonly sentAt: string;
  /** A shared location; becomes a HubSpot LOCATION attachment. */
  readonly location?: SharedLocation;
  /** Shared contact cards; each becomes a HubSpot CONTACT attachment. */
  readonly contacts?: readonly ContactCard[];
}
