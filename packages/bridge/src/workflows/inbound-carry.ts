import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CarriedMedia, PublishResult } from '../activities/index.js';
import type { OneStepInput, OneStepOutcome } from '../activities/inbound-one-step.js';
import { ErrorType } from '../domain/errors.js';
import type { InboundMessage } from '../domain/messages.js';
import { HubSpotMessageIdKey, StatusKey } from '../domain/search-attributes.js';
import { MessageStatus } from '../domain/signals.js';
import {
  carryInboundMedia,
  publishInboundInOneStep,
  publishInboundMessage,
  recordInboundMapping,
  resolveInboundThread,
} from './inbound-activities.js';
import { accountHold } from './inbound-hold.js';
import { conversationTurn } from './inbound-turn.js';
import { lineTurn, wakeNextInLine } from './line-turn.js';

/** Durations a test shortens; production uses the defaults. */
export interface InboundWorkflowOptions {
  /** Claim the conversation's turn again after this long without a wake-up. @default 1 minute */
  readonly turnRecheckMs?: number;
  /** While held, look at the account again this often even without a signal. @default 5 minutes */
  readonly holdRecheckMs?: number;
  /** Give up on a turned-off account after this long. @default 7 days */
  readonly holdLimitMs?: number;
  /**
   * Epoch ms: runs started before the sequencer were held this long by the api's catch-up window. New runs ignore it.
   */
  readonly holdUntil?: number;
  /** Set by the run before this one when it continued as new: what it had already done. */
  readonly resumed?: InboundResume;
}

/** What a run hands to the fresh run it continues as (docs/ORDERING.md, "Bounded history"). */
export interface InboundResume {
  /** The media, already carried to HubSpot (or turned into notes). */
  readonly carried: CarriedMedia[];
  /** Epoch ms the account hold began, if it had. */
  readonly heldSince?: number;
}

export interface InboundMessageResult {
  readonly hubspotMessageId: string;
  readonly hubspotThreadId: string;
}

const reasonOf = (error: unknown) =>
  error instanceof ActivityFailure && error.cause
    ? error.cause.message
    : error instanceof Error
      ? error.message
      : String(error);

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
 * HubSpot refused the message for good, or the account is gone: the durable steps would only be refused again. A local
 * activity's failure reaches the workflow as the activity's own ApplicationFailure (observed with SDK 1.24), a
 * scheduled one's wrapped in an ActivityFailure: both are read.
 */
function finalFailure(error: unknown): ApplicationFailure | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure &&
    ([ErrorType.HubSpotRejected, ErrorType.AccountNotFound] as unknown[]).includes(failure.type)
    ? failure
    : undefined;
}

/**
 * The common case in one local activity; undefined when it stopped for a reason the durable steps may overcome (their
 * claim finds the turn it may already hold, and the publish is idempotent).
 */
async function tryOneStep(input: OneStepInput): Promise<OneStepOutcome | undefined> {
  try {
    return await publishInboundInOneStep(input);
  } catch (error) {
    const final = finalFailure(error);
    // Failed as the publish step fails: HubSpot's reason at the top.
    if (final) throw ApplicationFailure.nonRetryable(final.message, 'InboundFailed', { cause: final });
    return undefined;
  }
}

/** Continue-as-new is thrown; it must pass through untouched: no FAILED status, no release of the turn. */
const isContinueAsNew = (error: unknown) => error instanceof Error && error.name === 'ContinueAsNew';

export interface InboundShape {
  /** The one sequencer's lines (else the old turns and catch-up hold of runs started before it). */
  readonly sequenced: boolean;
  /** The common case in one local activity first (else each step as its own activity). */
  readonly oneStep: boolean;
  /** A published run upserts nothing: its completion with BridgeStatus ACCEPTED says PUBLISHED (version 3). */
  readonly publishedByCompletion: boolean;
  /** Found in line, the message waits for its wake-up and tries the one step again (version 4). */
  readonly oneStepAfterWait: boolean;
}

type LineTurn = ReturnType<typeof lineTurn>;

/**
 * Version 4's wait in line: the one step found the turn held (and queued the message), so the message waits for its
 * wake-up and tries the one step again, instead of claiming and going through the durable steps. A message behind
 * another then costs one more workflow task and local activity (13 history events over two tasks), not version 3's
 * durable steps (23 over three, with a scheduled activity between them), each task queued behind whatever else waits:
 * a worker starting onto a backlog of thousands starved its lines for the first half minute. Returns where the last
 * one step stopped, past the line.
 */
async function oneStepAfterEachWait(
  line: LineTurn,
  input: OneStepInput,
  inLine: { readonly holdUntilMs?: number },
): Promise<OneStepOutcome | 'continue-as-new' | undefined> {
  let holdUntilMs = inLine.holdUntilMs;
  for (;;) {
    if ((await line.nextChance(holdUntilMs)) === 'continue-as-new') return 'continue-as-new';
    const next = await tryOneStep(input);
    if (next?.outcome !== 'in-line') return next;
    holdUntilMs = next.holdUntilMs;
  }
}

/**
 * Records the publish in the search attributes. With `publishedByCompletion` nothing is upserted while BridgeStatus is
 * ACCEPTED; a run that began HELD (a fresh run of a held message inherits its attributes at continue-as-new) upserts
 * PUBLISHED, so a completed run never shows HELD.
 */
function notePublished(published: InboundMessageResult, publishedByCompletion: boolean): void {
  if (publishedByCompletion && workflowInfo().typedSearchAttributes.get(StatusKey) === MessageStatus.Accepted) return;
  upsertSearchAttributes([
    { key: HubSpotMessageIdKey, value: published.hubspotMessageId },
    { key: StatusKey, value: MessageStatus.Published },
  ]);
}

/**
 * One customer message into the HubSpot inbox, for both workflow types: media (before its turn, in parallel), then in
 * its line's turn (docs/ORDERING.md): thread, publish (held while the account is off), record. The workflow id is the
 * message key and HubSpot's `integrationIdempotencyId`, so redeliveries and retries never duplicate it. A long wait
 * (in line, or held) continues as new past the history budget, with what is done handed over.
 */
export async function carryInboundMessage(
  message: InboundMessage,
  options: InboundWorkflowOptions,
  { sequenced, oneStep, publishedByCompletion, oneStepAfterWait }: InboundShape,
): Promise<InboundMessageResult> {
  const messageKey = workflowInfo().workflowId;
  const recheckMs = options.turnRecheckMs ?? 60_000;
  const line = sequenced
    ? lineTurn(
        { lineKey: message.conversationKey, messageKey, orderAt: message.sentAt, accountId: message.accountId },
        recheckMs,
      )
    : undefined;
  const turn = line ?? conversationTurn(message.conversationKey, messageKey, message.sentAt, recheckMs);
  const hold = accountHold(
    options.holdRecheckMs ?? 5 * 60_000,
    options.holdLimitMs ?? 7 * 24 * 3_600_000,
    options.resumed?.heldSince,
  );
  let carried: CarriedMedia[] | undefined = options.resumed?.carried;
  const goOnAfresh = () =>
    continueAsNew(message, {
      ...options,
      holdUntil: undefined,
      resumed: { carried: carried ?? [], ...(hold.heldSince !== undefined ? { heldSince: hold.heldSince } : {}) },
    });
  try {
    // A text message has nothing to carry; skipping the call spares the SDK a stack trace per workflow Promise.
    carried ??= message.media.length > 0 ? await carryAll(messageKey, message) : [];
    const files = carried.flatMap((c) => ('attachment' in c ? [c.attachment] : []));
    const notes = carried.flatMap((c) => ('note' in c ? [c.note] : []));
    if (!sequenced) {
      // Before the sequencer: during a catch-up, earlier messages the sender is still retrying join the line first.
      if (options.holdUntil !== undefined && options.holdUntil > Date.now())
        await sleep(options.holdUntil - Date.now());
    }
    const input = { messageKey, message, files, notes };
    let first = oneStep ? await tryOneStep(input) : undefined;
    if (first?.outcome === 'in-line' && line && oneStepAfterWait) {
      const last = await oneStepAfterEachWait(line, input, first);
      if (last === 'continue-as-new') return await goOnAfresh();
      first = last;
    }
    if (first?.outcome === 'published') {
      const published = { hubspotMessageId: first.hubspotMessageId, hubspotThreadId: first.hubspotThreadId };
      notePublished(published, publishedByCompletion);
      await wakeNextInLine(message.conversationKey, first.next);
      return published;
    }
    // Where the one step stopped (or without it), the durable steps: a turn claim, the thread, the publish, each with
    // retries and timers.
    if (first?.outcome === 'held') {
      // The one step holds the turn, kept across a fresh run as below.
      if ((await hold.waitUntilTurnedOn(first.reason)) === 'continue-as-new') return await goOnAfresh();
    } else if ((await turn.wait()) === 'continue-as-new') return await goOnAfresh();
    let published: PublishResult | undefined;
    while (!published) {
      const thread = await resolveInboundThread({
        accountId: message.accountId,
        conversationKey: message.conversationKey,
        sentAt: message.sentAt,
      });
      const outcome = await publishInboundMessage(messageKey, message, {
        files,
        notes,
        integrationThreadId: thread.integrationThreadId,
      });
      if (outcome.outcome === 'held') {
        // The turn is kept across the fresh run: its first claim finds it holds it.
        if ((await hold.waitUntilTurnedOn(outcome.reason)) === 'continue-as-new') return await goOnAfresh();
      } else published = { hubspotMessageId: outcome.hubspotMessageId, hubspotThreadId: outcome.hubspotThreadId };
    }
    await recordInboundMapping(messageKey, message, published);
    notePublished(published, publishedByCompletion);
    await turn.release();
    return published;
  } catch (error) {
    if (isContinueAsNew(error)) throw error;
    // This order (status, then release) is the one recorded histories replay.
    upsertSearchAttributes([{ key: StatusKey, value: MessageStatus.Failed }]);
    await turn.release();
    if (error instanceof ApplicationFailure) throw error;
    // Keep HubSpot's reason visible at the top of the failure.
    if (error instanceof ActivityFailure)
      throw ApplicationFailure.nonRetryable(reasonOf(error), 'InboundFailed', { cause: error });
    throw error;
  }
}
