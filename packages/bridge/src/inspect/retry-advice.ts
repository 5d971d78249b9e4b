/**
 * Whether `messages retry` acts on a message, and how, from what visibility shows of its latest run. The same answer
 * is printed by `messages list` and `show` and is the refusal `messages retry` gives; the retry itself also reads the
 * failed run's history, which can refuse two more cases (src/inspect/resend.ts).
 */
import { isOutboundWorkflowType } from '../domain/workflow-types.js';

/** `reset`: Temporal re-runs the failed run from its failed step. `resend`: a new run delivers the reply again. */
export type RetryKind = 'reset' | 'resend';

export interface RetryAdvice {
  /** `messages retry` / `POST /admin/messages/{id}/retry` acts on the message now. */
  readonly retryable: boolean;
  readonly kind?: RetryKind;
  /**
   * A short tag for a list column: resend, reset, no: held, no: in flight, no: delivered, no: published, no: not
   * failed;
   * and, from a failed reply's history (show and retry only), no: sent, then failed and no: refused as written.
   */
  readonly label: string;
  /** What a retry does, or why there is none and what to do instead. */
  readonly reason: string;
}

/** The facts the advice is read from (a message summary carries them all). */
export interface RunFacts {
  readonly workflowType: string;
  /** Temporal's: RUNNING, COMPLETED, FAILED, TERMINATED… */
  readonly executionStatus: string;
  /** BridgeStatus: ACCEPTED, HELD, PUBLISHED, SENT, READ, FAILED. */
  readonly status?: string;
  readonly direction?: string;
}

/** Runs that ended without finishing their work: Temporal can reset them. */
export const CLOSED_UNFINISHED: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'TERMINATED', 'CANCELLED']);

const ADVICE = {
  resend: {
    retryable: true,
    kind: 'resend',
    label: 'resend',
    reason:
      "a new run delivers the reply again with a fresh delivery window; parts the customer already has are not sent again, and HubSpot's status moves from FAILED to SENT",
  },
  reset: {
    retryable: true,
    kind: 'reset',
    label: 'reset',
    reason:
      'the failed run is reset to its failed step and goes on from there, with the same workflow id and idempotency key',
  },
  held: {
    retryable: false,
    label: 'no: held',
    reason:
      'it waits for its channel account to be turned on in HubSpot (inbox settings → the channel account) and then goes on by itself',
  },
  inFlight: {
    retryable: false,
    label: 'no: in flight',
    reason:
      "it is still working (messages show names the step it is on and that step's last error); retry it only once it has failed",
  },
  delivered: { retryable: false, label: 'no: delivered', reason: 'the reply reached the customer' },
  published: { retryable: false, label: 'no: published', reason: 'the message is in HubSpot' },
  notFailed: { retryable: false, label: 'no: not failed', reason: 'the run ended without a failure' },
} as const satisfies Record<string, RetryAdvice>;

export function isOutbound(run: RunFacts): boolean {
  return isOutboundWorkflowType(run.workflowType) || run.direction === 'outbound';
}

export function retryAdvice(run: RunFacts): RetryAdvice {
  if (run.executionStatus === 'RUNNING') {
    if (run.status === 'HELD') return ADVICE.held;
    if (run.status === 'SENT' || run.status === 'READ') return ADVICE.delivered;
    if (run.status === 'PUBLISHED') return ADVICE.published;
    return ADVICE.inFlight;
  }
  if (isOutbound(run)) {
    // A reply the provider took is done, even when its run was cut short while it waited for receipts.
    if (run.status === 'SENT' || run.status === 'READ') return ADVICE.delivered;
    // Its workflow completes with result FAILED: a reset would replay to the same end, so a new run sends it.
    if (run.status === 'FAILED' || CLOSED_UNFINISHED.has(run.executionStatus)) return ADVICE.resend;
    return ADVICE.notFailed;
  }
  if (CLOSED_UNFINISHED.has(run.executionStatus)) return ADVICE.reset;
  return run.status === 'PUBLISHED' ? ADVICE.published : ADVICE.notFailed;
}

/** The refusal `messages retry` answers with; "not failed: nothing to retry" is what scripts match on. */
export function refusalText(workflowId: string, run: RunFacts, advice: RetryAdvice): string {
  return `${workflowId} is ${run.executionStatus}, not failed: nothing to retry (${run.status ?? 'no status'}: ${advice.reason})`;
}
