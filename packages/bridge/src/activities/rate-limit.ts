import { ApplicationFailure } from '@temporalio/activity';
import { currentActivity } from './current-activity.js';
import { ErrorType } from '../domain/errors.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import { callSlotKey, type CallSlotStore } from '../store/inbound-types.js';
import type { RateLimitPolicy } from './inbound-settings.js';

/**
 * Runs one HubSpot call of a portal once a slot is free and the portal is not held after a 429. `onWait` is told each
 * wait; it may stop waiting by throwing. Without it, a caller inside an activity heartbeats while it waits, and hands
 * a wait longer than its step can afford back to Temporal (`waitInActivity`). The slot counts from when the call
 * finished.
 */
export type PortalPacer = <T>(
  portalId: string,
  call: () => Promise<T>,
  onWait?: (waitMs: number) => void,
) => Promise<T>;

/** Longest a local activity waits for a slot inside its step; a longer wait becomes a durable retry after that long. */
export const MAX_IN_STEP_PACING_MS = 2_000;

/** The pacer's window over HubSpot's: see createPortalPacer. */
export const PACER_WINDOW_MARGIN = 1.01;

/** The share of a portal's window that may go in a burst; calls past it are spaced (see createPortalPacer). */
export const SPACED_FROM_SHARE = 0.5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The default `onWait` of a call made inside an activity: heartbeat with the wait, so a long wait is not taken for a
 * dead worker. A local activity (no heartbeats; its workflow task stays open) waits at most MAX_IN_STEP_PACING_MS in
 * all, and a regular one at most half its start-to-close timeout; past that the wait is handed to Temporal as the
 * retry delay, and the next attempt queues again.
 */
export function waitInActivity(context = currentActivity()): ((waitMs: number) => void) | undefined {
  if (!context) return undefined;
  const budgetMs = context.info.isLocal ? MAX_IN_STEP_PACING_MS : (context.info.startToCloseTimeoutMs || 60_000) / 2;
  const startedAt = Date.now();
  return function waitOrHandBack(waitMs) {
    if (Date.now() - startedAt + waitMs > budgetMs) {
      throw ApplicationFailure.create({
        message: `HubSpot's call budget for this portal is spent, or HubSpot asked it to wait; the next slot frees in ${waitMs} ms`,
        type: ErrorType.RateLimited,
        nextRetryDelay: waitMs,
      });
    }
    if (!context.info.isLocal) context.heartbeat({ pacedMs: waitMs });
  };
}

/**
 * How long a 429 holds the portal: HubSpot's Retry-After, or one window of the policy when it gave none ([INFERRED]:
 * HubSpot documents Retry-After for its 429s; a window is how long the ten-secondly count takes to clear).
 */
function holdAfter(error: unknown, policy: RateLimitPolicy): number | undefined {
  if (!(error instanceof HubSpotApiError) || error.status !== 429) return undefined;
  return error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : policy.intervalMs;
}

/**
 * HubSpot's limit is per app per portal
 * (https://developers.hubspot.com/changelog/heads-up-new-and-improved-hubspot-api-limits), and several worker processes
 * share it, so the slots live in the store every worker opens rather than in one process's memory
 * (bottleneck or p-limit would pace one process only; bottleneck's clustering needs Redis). A slot is
 * re-stamped when its call ends, so its next call starts a whole window after HubSpot counted this one (which reached
 * HubSpot before it ended): a backlog drains without 429s however late a request arrives. The window's 1 % margin
 * (100 ms of 10 s) covers only the clocks of several worker hosts stamping the same slots; a 5 % margin held a
 * backlog to 92 % of the limit (docs/BENCHMARKS.md). A 429 that gets through anyway (another app's calls, a limit
 * lowered in HubSpot) holds the portal in the store until its Retry-After has passed, so no caller in any process
 * calls again before; the failed call is still thrown, and its activity's retry waits the same time.
 *
 * Past half the window's budget, calls are also spaced one per windowMs ÷ max, on a schedule in the store. A backlog
 * otherwise repeats its first bursts: a slot frees one window after its call, so thirty calls made in one second free
 * thirty slots in one second, ten seconds later, and the callers ready then cannot take them all at once; each slot
 * taken late is lost time, window after window (a 2,400-message backlog kept 89-95 % of the limit). Spaced, each slot
 * needs one ready caller per gap. Below half the budget, calls still go at once.
 */
export function createPortalPacer(
  store: CallSlotStore,
  policy: RateLimitPolicy,
  now: () => number = Date.now,
): PortalPacer {
  const windowMs = Math.ceil(policy.intervalMs * PACER_WINDOW_MARGIN);
  // Past half the budget, one call per windowMs ÷ max (none for a limit so high its gap is under a millisecond).
  const gapMs = windowMs / policy.max;
  const spacing = gapMs >= 1 ? { fromCount: Math.ceil(policy.max * SPACED_FROM_SHARE), gapMs } : undefined;

  async function callInSlot<T>(key: string, takenAt: number, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const holdMs = holdAfter(error, policy);
      if (holdMs !== undefined) await store.holdCalls(key, now() + holdMs, now());
      throw error;
    } finally {
      await store.stampCallSlot?.(key, takenAt, now());
    }
  }

  return async function paced(portalId, call, onWait) {
    const key = callSlotKey(portalId);
    const context = currentActivity();
    const told = onWait ?? waitInActivity(context);
    for (;;) {
      const takenAt = now();
      const waitMs = await store.takeCallSlot(key, policy.max, windowMs, takenAt, spacing);
      if (waitMs === 0) return callInSlot(key, takenAt, call);
      told?.(waitMs);
      // A little jitter so waiting callers do not all retry in the same millisecond; an activity's sleep ends on
      // cancellation.
      const nap = Math.min(waitMs, 1_000) + Math.floor(Math.random() * 20);
      await (context ? context.sleep(nap) : sleep(nap));
    }
  };
}
