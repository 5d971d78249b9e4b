import type { RequestRecord } from './open-loop.js';

/** How a run's refusals split: load shed on purpose (503, with or without Retry-After) and everything else. */
export interface Refusals {
  /** 503 answers: the api shedding load, which a sender retries. */
  readonly shed: number;
  /** Of those, how many carried a Retry-After header. */
  readonly shedWithRetryAfter: number;
  /** The Retry-After values seen (seconds, or the header as sent when it is a date), fewest first. */
  readonly retryAfter: string[];
  /** Any other non-2xx answer, network error or skipped request. */
  readonly failed: number;
}

export function refusalsOf(records: readonly RequestRecord[]): Refusals {
  const shed = records.filter((r) => r.status === 503);
  const failed = records.filter((r) => !(r.status >= 200 && r.status < 300) && r.status !== 503).length;
  return {
    shed: shed.length,
    shedWithRetryAfter: shed.filter((r) => r.retryAfter !== undefined).length,
    retryAfter: [...new Set(shed.flatMap((r) => (r.retryAfter === undefined ? [] : [r.retryAfter])))].sort(),
    failed,
  };
}
