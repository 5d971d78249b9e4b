import type { InboundMessage } from '../domain/messages.js';
import type { LineTurnClaim } from './inbound-turns.js';
import type { PublishInput, PublishOutcome, PublishResult } from './inbound.js';
import type { ResolvedThread, ResolveThreadInput } from './threads.js';
import type { TurnClaim } from '../store/sequencer-types.js';

/** The steps a message takes in its turn, each idempotent, as the inbound activities define them. */
export interface InboundSteps {
  claimTurn(turn: LineTurnClaim): Promise<TurnClaim>;
  resolveInboundThread(input: ResolveThreadInput): Promise<ResolvedThread>;
  publishInboundMessage(messageKey: string, message: InboundMessage, input: PublishInput): Promise<PublishOutcome>;
  recordInboundMapping(messageKey: string, message: InboundMessage, published: PublishResult): Promise<void>;
  finishTurn(lineKey: string, messageKey: string): Promise<string | null>;
}

export interface OneStepInput {
  readonly messageKey: string;
  readonly message: InboundMessage;
  readonly files: PublishInput['files'];
  readonly notes: PublishInput['notes'];
}

/**
 * How far the one step got: all the way (the turn is handed on; `next` is the message to wake), or it stopped where
 * the message must wait durably: in line behind another message, or held while its account is off (the turn kept).
 */
export type OneStepOutcome =
  | ({ readonly outcome: 'published'; readonly next: string | null } & PublishResult)
  | { readonly outcome: 'in-line' }
  | { readonly outcome: 'held'; readonly reason: string };

/**
 * The common case of a customer message in one local activity: claim the line's turn, find the thread, publish,
 * record, leave the line. One worker activation and one workflow task instead of one per step (docs/INBOUND.md,
 * "One step"). Every step is idempotent (a claim the message holds is granted again; the publish carries the message
 * key as `integrationIdempotencyId`; the record is an upsert), so a run that dies half way and runs again, or falls
 * back to the durable steps, never publishes twice. Any error ends the step; the workflow then takes the durable path.
 */
export function createOneStepActivity(steps: InboundSteps) {
  return {
    async publishInboundInOneStep({ messageKey, message, files, notes }: OneStepInput): Promise<OneStepOutcome> {
      const lineKey = message.conversationKey;
      const claim = await steps.claimTurn({
        lineKey,
        messageKey,
        orderAt: message.sentAt,
        accountId: message.accountId,
      });
      if (!claim.granted) return { outcome: 'in-line' };
      const thread = await steps.resolveInboundThread({
        accountId: message.accountId,
        conversationKey: message.conversationKey,
        sentAt: message.sentAt,
      });
      const outcome = await steps.publishInboundMessage(messageKey, message, {
        files,
        notes,
        integrationThreadId: thread.integrationThreadId,
      });
      if (outcome.outcome === 'held') return outcome;
      const published = { hubspotMessageId: outcome.hubspotMessageId, hubspotThreadId: outcome.hubspotThreadId };
      await steps.recordInboundMapping(messageKey, message, published);
      return { outcome: 'published', ...published, next: await steps.finishTurn(lineKey, messageKey) };
    },
  };
}
