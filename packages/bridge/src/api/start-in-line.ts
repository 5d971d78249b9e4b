import type { LineTurn, SequencerStore, StartOutbox } from '../store/sequencer-types.js';
import { HttpError } from './http-error.js';

/**
 * Starts one api lets run behind answers at once. Past them an answer waits for its start longer, up to
 * FULL_BEHIND_WAIT_MS, as the sender's own backpressure: answering a burst faster than Temporal starts its workflows
 * only piles the starts up until admission sheds, and every shed webhook holds its line for the catch-up window. A slow
 * start now and then, or a Temporal that is far away, stays well below it (50 webhooks/s at 100 ms a start keep 5
 * behind).
 */
export const MAX_STARTS_BEHIND_ANSWERS = 32;

/**
 * How long an answer waits for its start when MAX_STARTS_BEHIND_ANSWERS already run behind answers; a start slower
 * still goes on behind the answer all the same. Waiting on until Temporal has started it kept a flood's accepted
 * webhooks ~1.5 s each at 500/s (docs/BENCHMARKS.md, scenario 1), past the strictest latency standard a sender
 * publishes for webhook endpoints, and held the senders' connections meanwhile. The pile of starts stays bounded:
 * each one counts for admission until it is done, and admission sheds past its bound.
 */
export const FULL_BEHIND_WAIT_MS = 200;

/** Counts the starts running behind answers in one api. */
export class StartsBehindAnswers {
  private running = 0;
  constructor(readonly max = MAX_STARTS_BEHIND_ANSWERS) {}
  get size(): number {
    return this.running;
  }
  get full(): boolean {
    return this.running >= this.max;
  }
  /** Counts one more (past `max` too, once an answer has waited FULL_BEHIND_WAIT_MS for room). */
  take(): void {
    this.running++;
  }
  release(): void {
    this.running--;
  }
}

/**
 * Answering before Temporal confirmed the start (docs/INBOUND.md, "Answered before the start"). The start is kept with
 * the message's place in line, so the message is durable in the store; a start still running after `waitMs` goes on
 * behind the answer, and one that never happens is made by a sweeper (src/api/start-sweeper.ts).
 */
export interface EarlyAnswer<T> {
  readonly outbox: Pick<StartOutbox, 'forgetPendingStart'>;
  /** This api's starts behind answers; with no room left, the answer waits for the start up to FULL_BEHIND_WAIT_MS. */
  readonly behind: StartsBehindAnswers;
  /** How long the answer waits for the start. */
  readonly waitMs: number;
  /** The answer when the start takes longer. */
  readonly late: (settled: Promise<void>) => T;
  /** A start that failed after the answer; it stays kept for the sweeper. */
  readonly onLateFailure: (error: unknown) => void;
}

/** How a message's workflow is started in its line. */
export interface LineStart<T> {
  /** The start, serialised (src/api/pending-start.ts): kept with the place until the workflow's first claim. */
  readonly kept?: string;
  /** With `kept`: the answer waits for the start at most `early.waitMs`. */
  readonly early?: EarlyAnswer<T>;
}

type Outcome<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: unknown };

/**
 * Starts a message's workflow with its place in its line taken first (docs/ORDERING.md): a message accepted earlier is
 * in line before a later one's workflow can claim the turn, however long each start takes. The place carries the start
 * (`kept`) until the workflow claims, so the message ahead, leaving meanwhile, finds a place still being started rather
 * than a dead message's, and keeps it. The place is given back when the start was refused (the sender retries, and
 * takes it again) or was a duplicate (the message's own run had its place; one taken now would stand first in line with
 * nobody to take the turn). A place already held is left alone.
 */
export async function startInLine<T extends { readonly started: boolean }>(
  store: Pick<SequencerStore, 'queueTurn' | 'finishTurn'> | undefined,
  turn: LineTurn | undefined,
  start: () => Promise<T>,
  { kept, early }: LineStart<T> = {},
): Promise<T> {
  if (!store || !turn) return start();
  let queuedNow: boolean;
  try {
    queuedNow = await store.queueTurn(turn, Date.now(), kept);
  } catch (error) {
    throw new HttpError(503, 'the store is unavailable; retry later', { cause: error });
  }
  const giveBack = () =>
    queuedNow
      ? store.finishTurn(turn.lineKey, turn.messageKey).then(
          () => undefined,
          () => undefined,
        )
      : undefined;
  const starting: Promise<Outcome<T>> = start().then(
    (result) => ({ ok: true, result }),
    (error: unknown) => ({ ok: false, error }),
  );
  // Only a place taken now is known to carry this start; a redelivery's answer waits for its start.
  const answerEarly = early && kept !== undefined && queuedNow ? early : undefined;
  let outcome = answerEarly ? await within(starting, answerEarly.waitMs) : await starting;
  if (answerEarly && outcome === undefined) {
    // No room behind answers: the sender waits longer, as its backpressure, but not past its own timeouts.
    if (answerEarly.behind.full) outcome = await within(starting, FULL_BEHIND_WAIT_MS);
    if (outcome === undefined) {
      answerEarly.behind.take();
      const settled = settleBehindAnswer(answerEarly, turn.messageKey, starting, giveBack);
      return answerEarly.late(settled.finally(() => answerEarly.behind.release()));
    }
  }
  // In time: the answer is the start's.
  outcome ??= await starting;
  if (!outcome.ok) {
    await giveBack();
    throw outcome.error;
  }
  if (!outcome.result.started) await giveBack();
  return outcome.result;
}

/** The rest of a start the answer did not wait for: forgotten once made, given back as a duplicate, kept if failed. */
async function settleBehindAnswer<T extends { readonly started: boolean }>(
  early: EarlyAnswer<T>,
  messageKey: string,
  starting: Promise<Outcome<T>>,
  giveBack: () => Promise<void> | undefined,
): Promise<void> {
  const outcome = await starting;
  if (!outcome.ok) return early.onLateFailure(outcome.error);
  // Else a sweep finds it running. (A start made in time is left to the workflow's first claim: no write per message.)
  await early.outbox.forgetPendingStart(messageKey).catch(() => undefined);
  if (!outcome.result.started) await giveBack();
}

/** The outcome if it comes within `ms`, else undefined. */
async function within<T>(outcome: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([outcome, late]);
  } finally {
    clearTimeout(timer);
  }
}
