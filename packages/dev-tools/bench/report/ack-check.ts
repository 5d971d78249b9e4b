import type { LoadRunResult } from '../load-run.js';

/** Ack p99 the bridge must keep at every rate it sustains, ms. */
export const ACK_P99_MS = 50;
/**
 * Above its sustained rate, every answer (200 or 503) within this time: a stand-in for the senders' webhook timeouts,
 * which are seconds (an inference: providers document retries, not the exact timeout).
 */
export const ANSWER_P99_MS = 1_000;

export interface AckCheck {
  readonly met: boolean | undefined;
  readonly measured: string;
}

/**
 * Ack p99 ≤ 50 ms at every rate the bridge sustains, nothing refused there; above it, only 503s with Retry-After
 * refuse, the accepted still answer within 50 ms at p99, and every answer within ANSWER_P99_MS.
 */
export function ackCheck(runs: readonly LoadRunResult[], maxSustained: number): AckCheck {
  const bridge = runs.filter((r) => r.target === 'bridge' && r.ack);
  if (bridge.length === 0) return { met: undefined, measured: 'not measured' };
  const verdicts = bridge.map((r) => {
    const refusals = r.refusals ?? { shed: 0, shedWithRetryAfter: 0, retryAfter: [], failed: r.sent - r.accepted };
    const fast = (r.ack?.p99 ?? Infinity) <= ACK_P99_MS;
    const ok =
      r.ratePerSecond <= maxSustained
        ? fast && refusals.failed === 0 && refusals.shed === 0
        : fast &&
          refusals.failed === 0 &&
          refusals.shedWithRetryAfter === refusals.shed &&
          (r.answer?.p99 ?? 0) <= ANSWER_P99_MS;
    const shed = refusals.shed
      ? `, ${refusals.shed} × 503 (${refusals.shedWithRetryAfter} with Retry-After${refusals.retryAfter.length ? ` ${refusals.retryAfter.join('/')} s` : ''})`
      : '';
    const failed = refusals.failed ? `, ${refusals.failed} failed` : '';
    return { ok, text: `${r.ratePerSecond}/s p99 ${r.ack?.p99} ms${shed}${failed}` };
  });
  return {
    met: verdicts.every((v) => v.ok),
    measured: `${verdicts.map((v) => v.text).join('; ')} (sustained up to ${maxSustained}/s)`,
  };
}
