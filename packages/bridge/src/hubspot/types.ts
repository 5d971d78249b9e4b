import type { DeliveryIdentifier } from '../store/types.js';

/**
 * `ChannelIntegrationParticipant`
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/messages/create-custom-channel).
 */
export interface Participant {
  readonly deliveryIdentifier: DeliveryIdentifier;
  readonly name?: string;
  readonly senderActorId?: string;
}

export interface FileAttachment {
  readonly type: 'FILE';
  readonly fileId: string;
  readonly fileUsageType?: 'AUDIO' | 'IMAGE' | 'OTHER' | 'STICKER' | 'VOICE_RECORDING';
}

/**
 * A map pin
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/messages/create-custom-channel).
 */
export interface LocationAttachment {
  readonly type: 'LOCATION';
  readonly latitude: number;
  readonly longitude: number;
  readonly name?: string;
  readonly address?: string;
  readonly url?: string;
}

/** A contact card; `contactProfile` follows HubSpot's shape (name, emails, phones, addresses, urls, org). */
export interface ContactAttachment {
  readonly type: 'CONTACT';
  readonly contactProfile: Readonly<Record<string, unknown>>;
}

export type MessageAttachment = FileAttachment | LocationAttachment | ContactAttachment;

/** `ChannelIntegrationMessageEgg`: the body of `POST /conversations/v3/custom-channels/{channelId}/messages`. */
export interface MessageEgg {
  readonly text: string;
  readonly richText?: string;
  readonly messageDirection: 'INCOMING' | 'OUTGOING';
  readonly channelAccountId: string;
  readonly senders: readonly Participant[];
  readonly recipients: readonly Participant[];
  readonly timestamp: string;
  readonly integrationThreadId?: string;
  readonly integrationIdempotencyId: string;
  readonly inReplyToId?: string;
  readonly attachments: readonly MessageAttachment[];
}

/** The fields of `PublicConversationsMessage` the bridge reads. */
export interface PublishedMessage {
  readonly id: string;
  readonly conversationsThreadId: string;
  readonly channelAccountId: string;
}

/** HubSpot's standard error body (https://developers.hubspot.com/docs/api-reference/error-handling). */
export interface HubSpotErrorBody {
  readonly message: string;
  readonly correlationId: string;
  readonly category: string;
  readonly subCategory?: string;
  readonly errors?: readonly { readonly message: string; readonly code?: string }[];
}
