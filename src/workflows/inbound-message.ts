import { ActivityFailure, ApplicationFailure, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CarriedMedia, PublishResult } from '../activities/index.js';
import type { InboundMessage } from '../domain/messages.js';
import { HubSpotMessageIdKey, StatusKey } from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';
import { carryInboundMedia, publishInboundMessage, recordInboundMapping, resolveInboundThread } from './inbound-activities.js';
import { accountHold } from './inbound-hold.js';
import { conversationTurn } from './inbound-turn.js';

/** Durations a test shortens; production uses the defaults. */
export interface InboundWorkflowOptions {
  /** Claim the conversation's turn again after this long without a wake-up. @default 1 minute */
  readonly turnRecheckMs?: number;
  /** While held, look at the account again this often even without a signal. @default 5 minutes */
  readonly holdRecheckMs?: number;
  /** Give up on a turned-off account after this long. @default 7 days */
  readonly holdLimitMs?: number;
  /** Epoch ms: set while senders catch up after an outage; the message claims its turn no earlier (src/api/catch-up.ts). */
  readonly holdUntil?: number;
}

export interface InboundMessageResult {
  readonly hubspotMessageId: string;
  readonly hubspotThreadId: string;
}

const reasonOf = (error: unknown) =>
  error instanceof ActivityFailure && error.cause ? error.cause.message : error instanceof Error ? error.message : String(error);

/** Media that could not be carried even after retries still reaches the rep, as a note. */
async function carryAll(messageKey: string, message: InboundMessage): Promise<CarriedMedia[]> {
  return Promise.all(
    message.media.map((media, index) =>
      carryInboundMedia({ messageKey, accountId: message.accountId, index, media }).catch((error: unknown) => ({
        note: `[${media.kind}${media.filename ? ` "${media.filename}"` : ''} was sent but could not be carried: ${reasonOf(error)}]`,
      })),
    ),
  );
}

/**
 * One customer message into the HubSpot inbox: media (before its turn, in parallel), then in the
 * conversation's turn: thread, publish (held while the account is off), record. The workflow id is the
 * message key and HubSpot's `integrationIdempotencyId`, so redeliveries and retries never duplicate it.
 */
export async function inboundMessageWorkflow(message: InboundMessage, options: InboundWorkflowOptions = {}): Promise<InboundMessageResult> {
  const messageKey = workflowInfo().workflowId;
  const turn = conversationTurn(message.conversationKey, messageKey, message.sentAt, options.turnRecheckMs ?? 60_000);
  const hold = accountHold(options.holdRecheckMs ?? 5 * 60_000, options.holdLimitMs ?? 7 * 24 * 3_600_000);
  try {
    const carried = await carryAll(messageKey, message);
    const files = carried.flatMap((c) => ('attachment' in c ? [c.attachment] : []));
    const notes = carried.flatMap((c) => ('note' in c ? [c.note] : []));
    // During a catch-up, earlier messages the sender is still retrying join the line before this one claims it.
    if (options.holdUntil !== undefined && options.holdUntil > Date.now()) await sleep(options.holdUntil - Date.now());
    await turn.wait();
    let published: PublishResult | undefined;
    while (!published) {
      const thread = await resolveInboundThread({ accountId: message.accountId, conversationKey: message.conversationKey, sentAt: message.sentAt });
      const outcome = await publishInboundMessage(messageKey, message, { files, notes, integrationThreadId: thread.integrationThreadId });
      if (outcome.outcome === 'held') await hold.waitUntilTurnedOn(outcome.reason);
      else published = { hubspotMessageId: outcome.hubspotMessageId, hubspotThreadId: outcome.hubspotThreadId };
    }
    await recordInboundMapping(messageKey, message, published);
    upsertSearchAttributes([
      { key: HubSpotMessageIdKey, value: published.hubspotMessageId },
      { key: StatusKey, value: MessageStatus.Published },
    ]);
    return published;
  } catch (error) {
    upsertSearchAttributes([{ key: StatusKey, value: MessageStatus.Failed }]);
    if (error instanceof ApplicationFailure) throw error;
    // Keep HubSpot's reason visible at the top of the failure.
    if (error instanceof ActivityFailure) throw ApplicationFailure.nonRetryable(reasonOf(error), 'InboundFailed', { cause: error });
    throw error;
  } finally {
    await turn.release();
  }
}
