/**
 * Most webhooks one api keeps in flight however fast they finish: a guard on memory (each holds its body) when the
 * wait bound alone would let a flood in. At a 50 ms start (a remote Temporal) it still allows 5,000 webhooks/s.
 */
export const MAX_WEBHOOKS_IN_FLIGHT = 256;

/**
 * The event loop's lateness past which an unread webhook is shed (src/api/shed-unread.ts), for a wait bound of
 * `shedAfterMs`: half. The lateness is what the newest arrival waits before it is even read, and a turn of the loop's
 * answers comes after it. Not lower: an unread refusal holds the whole account's lines for the catch-up window, so it
 * is kept for an api that is drowning, not one that is busy (at a tenth, a loaded machine's api shed this way 196 times
 * in one 500/s run, and 0 once answers stopped waiting on full starts).
 */
export const loopLateBoundMs = (shedAfterMs: number): number => shedAfterMs / 2;

/** Seconds a shed sender is asked to wait (`Retry-After`): long enough for a backlog of `shedAfterMs` to clear. */
export const SHED_RETRY_AFTER_SECONDS = 2;

export interface AdmissionOptions {
  /**
   * New webhook work is refused while a newcomer would wait longer than this for the store and Temporal, as read from
   * the webhooks in flight (BRIDGE_WEBHOOK_SHED_AFTER_SECONDS); 0 never refuses.
   */
  readonly shedAfterMs: number;
  /** @default MAX_WEBHOOKS_IN_FLIGHT */
  readonly maxInFlight?: number;
  readonly now?: () => number;
}

/**
 * Admission control for the api's webhooks: while the webhooks already let in are not getting through (they have
 * waited past `shedAfterMs`, or too many are in flight), new ones are refused at once instead of joining a queue that
 * only grows. Their wait measures the backlog itself, whatever its cause (Temporal, the store, this event loop), so one
 * bound fits a SQLite store beside a local Temporal and PostgreSQL with a remote one alike; a count alone would have
 * to be tuned to each one's speed.
 */
export class Admission {
  /** When each webhook in flight was let in (understood, before its first store write), oldest first (Map order). */
  private readonly inFlight = new Map<number, number>();
  private nextId = 0;
  private readonly maxInFlight: number;
  private readonly now: () => number;

  constructor(private readonly options: AdmissionOptions) {
    this.maxInFlight = options.maxInFlight ?? MAX_WEBHOOKS_IN_FLIGHT;
    this.now = options.now ?? Date.now;
  }

  /** Webhooks let in and not yet done. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Why a new webhook would be refused now; undefined when it may come in. */
  refusal(): string | undefined {
    if (this.options.shedAfterMs <= 0) return undefined;
    if (this.inFlight.size >= this.maxInFlight) return `${this.inFlight.size} webhooks are in flight`;
    const wait = this.expectedWaitMs();
    return wait > this.options.shedAfterMs ? `webhooks in flight have waited about ${wait} ms` : undefined;
  }

  /**
   * The wait a webhook let in now would see: twice the median age of those in flight, the newcomer counted at 0 (the
   * ages of a standing queue spread evenly from 0 to its wait). A median, not the oldest, so one straggler (a large
   * inline file, one slow call) sheds nobody while the rest flow; a backlog moves it within a few arrivals.
   */
  expectedWaitMs(): number {
    const middle = Math.ceil(this.inFlight.size / 2); // in [oldest…youngest, newcomer]
    let index = 0;
    for (const since of this.inFlight.values()) if (index++ === middle) return 2 * (this.now() - since);
    return 0;
  }

  /** Counts a webhook in flight from now; call the returned function once it is done (answered or failed). */
  enter(): () => void {
    const id = this.nextId++;
    this.inFlight.set(id, this.now());
    return () => void this.inFlight.delete(id);
  }
}
