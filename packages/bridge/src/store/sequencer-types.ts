/**
 * The conversation sequencer's store (docs/ORDERING.md): every line's turns and the catch-up holds, shared by every
 * api and worker process. A line is one conversation's customer messages, or its replies; the two never wait on
 * each other, and no line waits on another.
 */

/** One message's place in its line. */
export interface LineTurn {
  /** The conversation key for customer messages; `reply:` and the conversation key for replies. */
  readonly lineKey: string;
  /** The message's workflow id. */
  readonly messageKey: string;
  /**
   * ISO-8601: when the sender says it was written (the customer's sentAt, HubSpot's createdAt). The line follows it.
   */
  readonly orderAt: string;
  /** The channel account, whose account-wide catch-up hold also applies. */
  readonly accountId: string;
}

/**
 * The answer to a claim: the turn, or not yet (and, during a catch-up, not before `holdUntilMs`; `inStep` when the
 * claim marked the message as waiting inside its step).
 */
export type TurnClaim =
  { readonly granted: true } | { readonly granted: false; readonly holdUntilMs?: number; readonly inStep?: true };

/** The key of a catch-up hold that covers every line of one account. */
export const accountHoldKey = (accountId: string) => `account:${accountId}`;
/** The key of the one catch-up hold that covers everyone: after no api at all was taking webhooks. */
export const EVERYONE_HOLD_KEY = '*';

export interface SequencerStore {
  /**
   * Queues the message in its line (idempotent: a message queued before keeps its place, and its pending start); true
   * when it was not queued yet. `pendingStart` is its workflow's start, kept until its first claim (StartOutbox).
   */
  queueTurn(turn: LineTurn, nowMs: number, pendingStart?: string): Promise<boolean>;
  /**
   * Queues the message if needed and takes the line's turn when nobody holds it, nothing waiting is ahead of it, and
   * no catch-up hold covers the line (its own, its account's, everyone's). The holder claiming again keeps it. Not
   * granted, a message next in line (nothing waiting ahead of it, only the holder) is marked as waiting inside its step
   * until `inStepUntilMs` (so leaving the turn wakes nobody: it polls), and the answer says `inStep`; otherwise it is
   * unmarked, since it cannot get the turn within a step's wait. The one transaction makes "claim, or wait for the
   * wake-up" atomic. A first claim shows the workflow runs: its pending start is cleared.
   */
  claimTurn(turn: LineTurn, nowMs: number, inStepUntilMs?: number): Promise<TurnClaim>;
  /**
   * Leaves the line (holding the turn or not); returns the message now first in line, to be woken, unless it is
   * waiting inside its step (marked by its claim, until a time after `nowMs`), which takes the turn itself.
   */
  finishTurn(lineKey: string, messageKey: string, nowMs?: number): Promise<string | undefined>;
  /**
   * finishTurn for a message whose workflow was not found when the message ahead tried to wake it: one that ended is
   * taken out of the line, but one whose start is kept (StartOutbox: its api is still making it, or left it to the
   * sweeper) has no workflow yet and keeps its place. Returns the message now first in line to wake; undefined when
   * there is none, or when the message stayed (it takes the free turn once started).
   */
  takeOutOfLine(lineKey: string, messageKey: string, nowMs?: number): Promise<string | undefined>;
  /**
   * Holds every claim under these keys (line keys, accountHoldKey, EVERYONE_HOLD_KEY) until `untilMs`; never shortens a
   * hold. Holds ended by `nowMs` are cleared on the way.
   */
  holdLines(keys: readonly string[], untilMs: number, nowMs: number): Promise<void>;
}

/** A place in line whose workflow start is not known to have happened (see StartOutbox). */
export interface UnstartedTurn {
  readonly lineKey: string;
  readonly messageKey: string;
  /** The start, as the api serialised it (src/api/pending-start.ts). */
  readonly pendingStart: string;
  readonly queuedMs: number;
}

/**
 * Starts kept with their places in line (migration 63), from the moment the api takes the place (queueTurn) until the
 * workflow's first claim: a place whose workflow is not found may be one still being started, not a dead message's
 * (takeOutOfLine). So an api may answer a webhook before Temporal confirmed the start, since the message is durable
 * here; a start that then never happened (the api died) is found and made by a sweeper.
 */
export interface StartOutbox {
  /** Places queued before `queuedBeforeMs` whose pending start is still kept, oldest first. */
  unstartedTurns(queuedBeforeMs: number, limit: number): Promise<UnstartedTurn[]>;
  /** The message's workflow is known to run (or to have run): forget its pending start. */
  forgetPendingStart(messageKey: string): Promise<void>;
}
