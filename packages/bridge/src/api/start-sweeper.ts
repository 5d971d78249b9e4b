import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from '../logger.js';
import type { SequencerStore, StartOutbox, UnstartedTurn } from '../store/sequencer-types.js';
import { turnFreed } from '../domain/signals.js';
import { parsePendingStart, startAsKept } from './pending-start.js';
import { TEMPORAL_DEADLINE_MS, withinDeadline } from './temporal-deadline.js';
import { startRefusal } from './temporal-refusal.js';

/**
 * How old a kept start must be before a sweep makes it: past the end of any start its api still makes behind the
 * answer (TEMPORAL_DEADLINE_MS, 5 s). Swept earlier, the api's own start could come back a duplicate, and the api
 * would give back the place of a message whose workflow runs.
 */
export const SWEEP_AFTER_MS = 2 * TEMPORAL_DEADLINE_MS;
/** How often an api sweeps. */
export const SWEEP_EVERY_MS = 5_000;
/** Kept starts made per sweep at most; the rest wait for the next. */
const SWEEP_BATCH = 100;

export type SweptTurn = 'started' | 'running' | 'stale' | 'refused' | 'failed';

export interface StartSweeperDeps {
  readonly client: Client;
  readonly store: StartOutbox & Pick<SequencerStore, 'finishTurn'>;
  readonly logger?: Logger;
}

/**
 * Makes the starts kept with places in line that nobody made (docs/INBOUND.md, "Answered before the start"): an api
 * answered a webhook while Temporal was slow, then died before the start came back. A second start of the same
 * workflow is refused by Temporal, so a sweep racing an api that is still starting (or another api's sweep) is
 * harmless.
 */
export async function sweepUnstartedTurns(
  deps: StartSweeperDeps,
  nowMs = Date.now(),
  afterMs = SWEEP_AFTER_MS,
): Promise<Record<SweptTurn, number>> {
  const counts: Record<SweptTurn, number> = { started: 0, running: 0, stale: 0, refused: 0, failed: 0 };
  for (const turn of await deps.store.unstartedTurns(nowMs - afterMs, SWEEP_BATCH)) {
    const outcome = await sweepOne(deps, turn);
    counts[outcome]++;
  }
  return counts;
}

async function sweepOne(deps: StartSweeperDeps, turn: UnstartedTurn): Promise<SweptTurn> {
  const about = { messageKey: turn.messageKey, line: turn.lineKey, queuedAt: new Date(turn.queuedMs).toISOString() };
  try {
    await withinDeadline(deps.client, () =>
      startAsKept(deps.client, turn.messageKey, parsePendingStart(turn.pendingStart)),
    );
    await deps.store.forgetPendingStart(turn.messageKey);
    deps.logger?.warn(about, 'started a message whose start its api answered for but never made');
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return alreadyStarted(deps, turn).catch((failure: unknown) => {
        deps.logger?.warn(
          { ...about, err: failure },
          'could not look up a kept start’s workflow; the next sweep tries again',
        );
        return 'failed' as const;
      });
    // The api's own reading of a refusal: 422 is an input Temporal will never take.
    if (startRefusal(error).status === 422) {
      // Never startable: leaving its place would hold its conversation for ever.
      await takeOut(deps, turn);
      deps.logger?.error(
        { ...about, err: error },
        'Temporal refuses a kept start: the message is dropped from its line',
      );
      return 'refused';
    }
    deps.logger?.warn({ ...about, err: error }, 'could not make a kept start yet; the next sweep tries again');
    return 'failed';
  }
}

/**
 * Running: its first claim is still to come. Closed without claiming: the place is a redelivery's, queued after the run
 * had left, or its run ended before it took its turn.
 */
async function alreadyStarted(deps: StartSweeperDeps, turn: UnstartedTurn): Promise<SweptTurn> {
  const { status } = await withinDeadline(deps.client, () =>
    deps.client.workflow.getHandle(turn.messageKey).describe(),
  );
  if (status.name === 'RUNNING') {
    await deps.store.forgetPendingStart(turn.messageKey);
    return 'running';
  }
  await takeOut(deps, turn);
  return 'stale';
}

/**
 * Takes a place nobody will claim out of its line, and wakes the message now first in it: the message ahead found no
 * workflow to wake there, so it woke nobody. A wake-up that fails is covered by that message's own recheck.
 */
async function takeOut(deps: StartSweeperDeps, turn: UnstartedTurn): Promise<void> {
  const next = await deps.store.finishTurn(turn.lineKey, turn.messageKey);
  if (next)
    await withinDeadline(deps.client, () => deps.client.workflow.getHandle(next).signal(turnFreed)).catch(
      () => undefined,
    );
}

/** Sweeps now and every `everyMs` until stopped; one sweep at a time, each failure logged. */
export function sweepEvery(deps: StartSweeperDeps, everyMs = SWEEP_EVERY_MS): () => void {
  let running: Promise<unknown> | undefined;
  const sweep = () => {
    if (running) return;
    running = sweepUnstartedTurns(deps)
      .catch((error: unknown) => deps.logger?.warn({ err: error }, 'could not sweep for kept starts; will try again'))
      .finally(() => (running = undefined));
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
