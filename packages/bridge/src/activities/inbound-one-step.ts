import type { InboundMessage } from '../domain/messages.js';
import type { LineTurnClaim } from './inbound-turns.js';
import type { PublishInput, PublishOutcome, PublishResult } from './inbound.js';
import type { ResolvedThread, ResolveThreadInput } from './threads.js';
import type { TurnClaim } from '../store/sequencer-types.js';

/** The steps a message takes in its turn, each idempotent, as the inbound activities define them. */
export interface InboundSteps {
  claimTurn(turn: LineTurnClaim): Promise<TurnClaim>;
  /** Resolves when the line's turn may have been left (in this process), or after `ms`. */
  lineMayBeFree(lineKey: string, ms: number): Promise<void>;
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
 * the message must wait durably: in line behind another message (until a catch-up hold's end, when one covers the
 * line), or held while its account is off (the turn kept).
 */
export type OneStepOutcome =
  | ({ readonly outcome: 'published'; readonly next: string | null } & PublishResult)
  | { readonly outcome: 'in-line'; readonly holdUntilMs?: number }
  | { readonly outcome: 'held'; readonly reason: string };

/**
 * How long a message whose conversation's previous message is still on its way waits for the turn inside its step: a
 * customer who writes three lines in a second. Going durable instead costs a signal, a timer and a second workflow
 * task (a history of 13 events, not 6). Short, because the wait holds a workflow task open: past the CPU's capacity
 * (the bench's 70/s) waiting longer only adds polls, and it neither saved nor sank that rate (41 % against 43 % kept
 * up).
 */
export const IN_STEP_TURN_WAIT_MS = 1_000;
/** How often a message waiting in its step looks again when no turn was left in this process meanwhile. */
const IN_STEP_TURN_POLL_MS = 50;

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
      const claim = await claimWithinStep(steps, {
        lineKey,
        messageKey,
        orderAt: message.sentAt,
        accountId: message.accountId,
      });
      if (!claim.granted)
        return { outcome: 'in-line', ...(claim.holdUntilMs !== undefined ? { holdUntilMs: claim.holdUntilMs } : {}) };
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

/**
 * The turn, waited for inside the step for up to IN_STEP_TURN_WAIT_MS while the message ahead is on its way and this
 * one is next in line: each claim marks the message as waiting here, so the one that leaves the turn wakes nobody (no
 * signal, no extra workflow task) and the next poll takes it. A message further back goes durable at once: it cannot
 * get the turn within the wait, and waiting would hold a workflow task slot (a backlog of a thousand queued messages
 * would otherwise take a second each to start). A catch-up hold ends the wait at once (it lasts seconds). The last
 * claim is unmarked, in the same transaction that finds the turn still held, so from then on the leaver wakes the
 * message durably.
 */
async function claimWithinStep(steps: InboundSteps, turn: LineTurnClaim): Promise<TurnClaim> {
  const until = Date.now() + IN_STEP_TURN_WAIT_MS;
  let claim = await steps.claimTurn({ ...turn, inStepUntilMs: until });
  while (!claim.granted && claim.inStep) {
    const left = until - Date.now();
    if (left <= 0) return steps.claimTurn(turn);
    await steps.lineMayBeFree(turn.lineKey, Math.min(IN_STEP_TURN_POLL_MS, left));
    claim = await steps.claimTurn({ ...turn, inStepUntilMs: until });
  }
  return claim;
}
