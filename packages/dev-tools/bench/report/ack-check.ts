import type { LoadRunResult } from '../load-run.js';

/** Ack p99 the bridge must keep at every rate it sustains, ms. */
export const ACK_P99_MS = 50;
/**
 * Above its sustained rate, how fast every answer (200 or 503) must come: WhatsApp's latency standard for webhook
 * endpoints, a median within 250 ms and under 1 % of answers past 1 s (as 360dialog, a WhatsApp Business Solution
 * Provider, relays Meta's: docs.360dialog.com, "Receiving messages", "Webhook Response Requirements"). It is the
 * strictest any of the bridge's senders publishes; the others give a timeout of seconds (Twilio 15 s, error 11205;
 * HubSpot's workflow webhooks 30 s) or none (Telegram).
 */
export const ANSWER_P50_MS = 250;
export const ANSWER_P99_MS = 1_000;

export interface AckCheck {
  readonly met: boolean | undefined;
  readonly measured: string;
}

/**
 * The issue's target: ack p99 ≤ 50 ms at every rate the bridge sustains, nothing refused there; above it, the api
 * refuses with 503 and Retry-After before its latency passes the senders' timeouts, instead of queueing without bound.
 * Above the sustained rate a sender may wait (that is its backpressure), so what is checked there is every answer,
 * acceptances and refusals alike, against ANSWER_P50_MS and ANSWER_P99_MS, and that only 503s with Retry-After refuse.
 */
export function ackCheck(runs: readonly LoadRunResult[], maxSustained: number): AckCheck {
  const bridge = runs.filter((r) => r.target === 'bridge' && r.ack);
  if (bridge.length === 0) return { met: undefined, measured: 'not measured' };
  const verdicts = bridge.map((r) => {
    const refusals = r.refusals ?? { shed: 0, shedWithRetryAfter: 0, retryAfter: [], failed: r.sent - r.accepted };
    const sustained = r.ratePerSecond <= maxSustained;
    const ok = sustained
      ? (r.ack?.p99 ?? Infinity) <= ACK_P99_MS && refusals.failed === 0 && refusals.shed === 0
      : refusals.failed === 0 &&
        refusals.shedWithRetryAfter === refusals.shed &&
        (r.answer?.p50 ?? Infinity) <= ANSWER_P50_MS &&
        (r.answer?.p99 ?? Infinity) <= ANSWER_P99_MS;
    const shed = refusals.shed
      ? `, ${refusals.shed} × 503 (${refusals.shedWithRetryAfter} with Retry-After${refusals.retryAfter.length ? ` ${refusals.retryAfter.join('/')} s` : ''})`
      : '';
    const failed = refusals.failed ? `, ${refusals.failed} failed` : '';
    const text = sustained
      ? `${r.ratePerSecond}/s p99 ${r.ack?.p99} ms`
      : `${r.ratePerSecond}/s every answer p50 ${r.answer?.p50} / p99 ${r.answer?.p99} ms (accepted p99 ${r.ack?.p99} ms)`;
    return { ok, text: `${text}${shed}${failed}` };
  });
  return {
    met: verdicts.every((v) => v.ok),
    measured: `${verdicts.map((v) => v.text).join('; ')} (sustained up to ${maxSustained}/s)`,
  };
}
