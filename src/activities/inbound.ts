import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType } from '../domain/errors.js';
import type { InboundMedia, InboundMessage, Sender } from '../domain/messages.js';
import type { HubSpotClient } from '../hubspot/client.js';
import type { Participant } from '../hubspot/types.js';
import type { Store } from '../store/types.js';
import { toActivityFailure } from './hubspot-errors.js';

export interface InboundActivityDeps {
  readonly store: Store;
  readonly hubspot: HubSpotClient;
}

export interface PublishResult {
  readonly hubspotMessageId: string;
  readonly hubspotThreadId: string;
}

/** HubSpot can find or create a contact from a phone or email; anything else is an opaque id. */
function senderParticipant(sender: Sender): Participant {
  if (sender.phone) return { name: sender.name, deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: sender.phone } };
  if (sender.email) return { name: sender.name, deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: sender.email } };
  return { name: sender.name, deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: sender.id } };
}

/** Media is not carried yet; say so in the message instead of dropping it. */
function uncarriedMediaNote(media: readonly InboundMedia[]): string {
  return media
    .map((m) => `[${m.kind}${m.filename ? ` "${m.filename}"` : ''} was sent but could not be carried: media transfer is not enabled]`)
    .join('\n');
}

export function createInboundActivities({ store, hubspot }: InboundActivityDeps) {
  return {
    /** Publishes to HubSpot with `integrationIdempotencyId` = the workflow id, the same on every attempt. */
    async publishInboundMessage(messageKey: string, message: InboundMessage): Promise<PublishResult> {
      const account = await store.getAccount(message.accountId);
      if (!account) {
        throw ApplicationFailure.nonRetryable(`account ${message.accountId} is not connected`, ErrorType.AccountNotFound);
      }
      const text = [message.text, uncarriedMediaNote(message.media)].filter((part) => part !== '').join('\n\n');
      try {
        const published = await hubspot.publishMessage(account.portalId, {
          text,
          messageDirection: 'INCOMING',
          channelAccountId: account.accountId,
          senders: [senderParticipant(message.sender)],
          recipients: [{ name: account.name, deliveryIdentifier: account.deliveryIdentifier }],
          timestamp: message.sentAt,
          integrationThreadId: message.conversationKey,
          integrationIdempotencyId: messageKey,
          attachments: [],
        });
        return { hubspotMessageId: published.id, hubspotThreadId: published.conversationsThreadId };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Records external ↔ HubSpot ids for replies, receipts and inspection. Idempotent. */
    async recordInboundMapping(messageKey: string, message: InboundMessage, published: PublishResult): Promise<void> {
      await store.recordMessage({
        messageKey,
        direction: 'inbound',
        accountId: message.accountId,
        conversationKey: message.conversationKey,
        providerMessageId: message.providerMessageId,
        hubspotMessageId: published.hubspotMessageId,
        hubspotThreadId: published.hubspotThreadId,
      });
    },
  };
}
