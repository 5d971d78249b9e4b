import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType } from '../domain/errors.js';
import type { InboundMessage, Sender } from '../domain/messages.js';
import type { HubSpotClient } from '../hubspot/client.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import type { FileAttachment, Participant } from '../hubspot/types.js';
import type { Store } from '../store/types.js';
import { toActivityFailure } from './hubspot-errors.js';
import { sharedAttachments } from './inbound-attachments.js';
import { resolveInboundSettings, type InboundOptions } from './inbound-settings.js';
import { createMediaActivities } from './media.js';
import { createOneStepActivity } from './inbound-one-step.js';
import { createInboundTurnActivities, lineMayBeFree } from './inbound-turns.js';
import { createThreadActivities } from './threads.js';

export interface InboundActivityDeps extends InboundOptions {
  readonly store: Store;
  /** Already limited per portal by createActivities (src/activities/index.ts): calls here are not paced again. */
  readonly hubspot: HubSpotClient;
}

/** What the workflow hands the publish step, besides the message. */
export interface PublishInput {
  readonly files: readonly FileAttachment[];
  /** Readable lines for media that could not be carried; appended to the text. */
  readonly notes: readonly string[];
  readonly integrationThreadId?: string;
}

export interface PublishResult {
  readonly hubspotMessageId: string;
  readonly hubspotThreadId: string;
}

/** Published, or held because the account is turned off (the workflow waits for accountStateChanged). */
export type PublishOutcome =
  ({ readonly outcome: 'published' } & PublishResult) | { readonly outcome: 'held'; readonly reason: string };

/** HubSpot can find or create a contact from a phone or email; anything else is an opaque id. */
function senderParticipant(sender: Sender): Participant {
  if (sender.phone) return { name: sender.name, deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: sender.phone } };
  if (sender.email) return { name: sender.name, deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: sender.email } };
  return { name: sender.name, deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: sender.id } };
}

const NOT_AUTHORIZED = 'CustomChannelsError.CHANNEL_ACCOUNT_NOT_AUTHORIZED';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function createInboundActivities(deps: InboundActivityDeps) {
  const { store, hubspot } = deps;
  const settings = resolveInboundSettings(deps.inbound);

  const threads = createThreadActivities({ store, hubspot, threads: settings.threads });
  const turns = createInboundTurnActivities(store);
  const steps = {
    /**
     * Publishes to HubSpot with `integrationIdempotencyId` = the message key, the same on every attempt,
     * so a retry after a lost answer returns the first message instead of a second one.
     */
    async publishInboundMessage(
      messageKey: string,
      message: InboundMessage,
      input: PublishInput,
    ): Promise<PublishOutcome> {
      const account = await store.getAccount(message.accountId);
      if (!account) {
        throw ApplicationFailure.nonRetryable(
          `account ${message.accountId} is not connected`,
          ErrorType.AccountNotFound,
        );
      }
      if (!account.authorized)
        return { outcome: 'held', reason: `account ${account.accountId} is turned off in HubSpot` };
      const text = [message.text, ...input.notes].filter((part) => part.trim() !== '').join('\n\n');
      // HubSpot shows richText in place of text, so the notes about files go into it too.
      const richText = message.richText
        ? [
            message.richText,
            ...input.notes.filter((note) => note.trim() !== '').map((note) => `<p>${escapeHtml(note)}</p>`),
          ].join('')
        : undefined;
      const inReplyToId = message.replyToProviderMessageId
        ? await store.findHubSpotMessageId(message.accountId, message.replyToProviderMessageId)
        : undefined;
      try {
        const published = await hubspot.publishMessage(account.portalId, {
          text,
          ...(richText ? { richText } : {}),
          messageDirection: 'INCOMING',
          channelAccountId: account.accountId,
          senders: [senderParticipant(message.sender)],
          recipients: [{ name: account.name, deliveryIdentifier: account.deliveryIdentifier }],
          timestamp: message.sentAt,
          ...(input.integrationThreadId ? { integrationThreadId: input.integrationThreadId } : {}),
          integrationIdempotencyId: messageKey,
          ...(inReplyToId ? { inReplyToId } : {}),
          attachments: [...input.files, ...sharedAttachments(message)],
        });
        return {
          outcome: 'published',
          hubspotMessageId: published.id,
          hubspotThreadId: published.conversationsThreadId,
        };
      } catch (error) {
        if (error instanceof HubSpotApiError && error.body?.subCategory === NOT_AUTHORIZED) {
          return { outcome: 'held', reason: error.message };
        }
        throw toActivityFailure(error);
      }
    },

    /** Records external ↔ HubSpot ids and the conversation's thread, then drops staged bytes. Idempotent. */
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
      await store.notePublished(message.conversationKey, published.hubspotThreadId, message.sentAt);
      await store.dropStagedMedia(messageKey);
    },
  };
  return {
    ...createMediaActivities({ ...deps, media: settings.media }),
    ...threads,
    ...turns,
    ...steps,
    ...createOneStepActivity({ ...threads, ...turns, ...steps, lineMayBeFree }),
  };
}
