import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  log,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { BridgeActivities } from '../activities/index.js';
import type { LineTurnClaim } from '../activities/inbound-turns.js';
import { turnFreed } from '../domain/signals.js';
import { historyBudgetSpent } from './history-budget.js';

// Store-only steps: local, so an uncontended message takes and hands back its turn without extra workflow tasks.
const { claimTurn, finishTurn } = proxyLocalActivities<BridgeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

/** A line of dead messages (terminated while queued) is stepped over, a bounded number at a time. */
const MAX_SKIPPED = 20;

export type LineWait = 'granted' | 'continue-as-new' | 'deadline';

/**
 * A message's place in its line (docs/ORDERING.md): the conversation's customer messages, or its replies. The api
 * queued it when it accepted it (or the first claim queues it). It waits until it holds the turn, then wakes the next
 * in line when it leaves. A missed wake-up costs at most `recheckMs`. During a catch-up the store answers with the
 * hold's end, and the message looks again then. The wait's history stays bounded: past the budget it asks its
 * workflow to continue as new, keeping its place (the line is in the store, keyed by the workflow id).
 */
export function lineTurn(turn: LineTurnClaim, recheckMs: number) {
  let woken = false;
  setHandler(turnFreed, () => void (woken = true));

  /** Until the wake-up, the recheck, the catch-up hold's end or the deadline, whichever comes first. */
  const untilWoken = async (holdUntilMs: number | undefined, deadline: number) => {
    const waitMs = holdUntilMs !== undefined ? Math.max(holdUntilMs - Date.now(), 1) : recheckMs;
    await condition(() => woken, Math.min(waitMs, Math.max(deadline - Date.now(), 1)));
    woken = false;
  };

  return {
    async wait(deadline = Number.POSITIVE_INFINITY): Promise<LineWait> {
      for (;;) {
        const claim = await claimTurn(turn);
        if (claim.granted) return 'granted';
        if (Date.now() >= deadline) return 'deadline';
        if (historyBudgetSpent()) return 'continue-as-new';
        await untilWoken(claim.holdUntilMs, deadline);
      }
    },
    /**
     * For a message a claim has just queued and refused (one inside its one step): waits for its next chance without
     * claiming again; the caller's next look claims.
     */
    async nextChance(holdUntilMs?: number): Promise<'look' | 'continue-as-new'> {
      if (historyBudgetSpent()) return 'continue-as-new';
      await untilWoken(holdUntilMs, Number.POSITIVE_INFINITY);
      return 'look';
    },
    /** Called on every way out but continue-as-new, so the line never waits on a finished message. */
    release: () => handTurnOn(finishTurn, turn.lineKey, turn.messageKey),
  };
}

/**
 * Leaves the line and wakes the message now first in it; one whose workflow has ended is taken out of the line in
 * turn, a bounded number at a time. Shared by the sequencer and the turns of runs started before it (their own
 * local activity), so both issue the same commands.
 */
export async function handTurnOn(
  finish: (lineKey: string, messageKey: string) => Promise<string | null>,
  lineKey: string,
  messageKey: string,
): Promise<void> {
  await CancellationScope.nonCancellable(async () =>
    wakeFirstInLine(finish, lineKey, await finish(lineKey, messageKey)),
  );
}

/**
 * Wakes `next`, the message first in line once this one left it (as `finish` answered, here or inside a one-step
 * activity). One whose workflow has ended is taken out of the line and the one after it woken, up to MAX_SKIPPED.
 */
export async function wakeNextInLine(lineKey: string, next: string | null): Promise<void> {
  // Nobody waits in the common case: no scope to open (each workflow Promise costs the SDK a stack trace), no command.
  if (next === null) return;
  await CancellationScope.nonCancellable(() => wakeFirstInLine(finishTurn, lineKey, next));
}

// The commands, in order, are those handTurnOn always issued: finish, signal; on a failed signal, finish again.
async function wakeFirstInLine(
  finish: (lineKey: string, messageKey: string) => Promise<string | null>,
  lineKey: string,
  first: string | null,
): Promise<void> {
  let next = first;
  for (let skipped = 0; next; skipped++) {
    try {
      await getExternalWorkflowHandle(next).signal(turnFreed);
      return;
    } catch (error) {
      log.warn('the next message in line has ended; taking it out of the line', {
        lineKey,
        next,
        reason: (error as Error).message,
      });
    }
    if (skipped >= MAX_SKIPPED) return;
    next = await finish(lineKey, next);
  }
}
