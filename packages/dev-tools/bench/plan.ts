/** What one bench run does; `npm run bench` uses FULL, `-- --quick` uses QUICK. Durations in ms. */
export interface BenchPlan {
  readonly mode: 'full' | 'quick';
  /**
   * Scenario 1: webhook ack latency at these rates, for the bridge and both baselines; then up to `drainTimeoutMs` for
   * the work left.
   */
  readonly ack: { readonly rates: readonly number[]; readonly durationMs: number; readonly drainTimeoutMs: number };
  /** Scenario 2: webhook → published, text and media mix, at these rates. */
  readonly e2e: { readonly rates: readonly number[]; readonly durationMs: number };
  /** Scenario 3: a ladder of rates, climbed until a step is not sustained. */
  readonly throughput: { readonly ladder: readonly number[]; readonly durationMs: number };
  /** Scenario 4: rep replies per second. */
  readonly outbound: { readonly rates: readonly number[]; readonly durationMs: number };
  /** Scenario 5: the backlog over several rate-limited portals. */
  readonly backlog: {
    readonly portals: number;
    readonly messages: number;
    readonly conversationsPerPortal: number;
    readonly rateLimit: { readonly max: number; readonly intervalMs: number };
    readonly senders: number;
    readonly timeoutMs: number;
    /** A rep's replies while the backlog drains (status writes and file downloads on the same portals' budgets). */
    readonly replies: {
      readonly threadsPerPortal: number;
      readonly count: number;
      readonly ratePerSecond: number;
      readonly fileEvery: number;
    };
  };
  /** How long a run waits for its messages after the load stopped. */
  readonly drainTimeoutMs: number;
  /** Messages whose Temporal histories are counted for the profile. */
  readonly historySample: number;
  /** The profile's CPU-per-message runs: a rate every target keeps up with. */
  readonly profile: { readonly ratePerSecond: number; readonly durationMs: number };
}

export const FULL: BenchPlan = {
  mode: 'full',
  ack: { rates: [50, 200, 500], durationMs: 5_000, drainTimeoutMs: 30_000 },
  e2e: { rates: [20, 50], durationMs: 10_000 },
  // From low rates, so a busy machine still finds the highest sustained one; the first failing step ends the climb.
  throughput: { ladder: [10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 600, 800], durationMs: 10_000 },
  outbound: { rates: [2, 10], durationMs: 10_000 },
  // HubSpot's real limit (100 requests per 10 s per portal), ten portals, a thousand messages each.
  backlog: {
    portals: 10,
    messages: 10_000,
    conversationsPerPortal: 50,
    rateLimit: { max: 100, intervalMs: 10_000 },
    senders: 32,
    timeoutMs: 10 * 60_000,
    replies: { threadsPerPortal: 5, count: 250, ratePerSecond: 0.5, fileEvery: 5 },
  },
  drainTimeoutMs: 60_000,
  historySample: 40,
  profile: { ratePerSecond: 20, durationMs: 10_000 },
};

/**
 * A few minutes, for CI: every scenario with every target, at smaller sizes. The backlog keeps HubSpot's 10 s window
 * (the bridge's limiter paces by it), so it has fewer messages per portal rather than a shorter window.
 */
export const QUICK: BenchPlan = {
  mode: 'quick',
  ack: { rates: [50, 200, 500], durationMs: 1_500, drainTimeoutMs: 5_000 },
  e2e: { rates: [50], durationMs: 3_000 },
  throughput: { ladder: [20, 50], durationMs: 3_000 },
  outbound: { rates: [5], durationMs: 2_000 },
  backlog: {
    portals: 3,
    messages: 300,
    conversationsPerPortal: 10,
    rateLimit: { max: 100, intervalMs: 10_000 },
    senders: 16,
    timeoutMs: 120_000,
    replies: { threadsPerPortal: 2, count: 20, ratePerSecond: 1, fileEvery: 4 },
  },
  drainTimeoutMs: 15_000,
  historySample: 10,
  profile: { ratePerSecond: 20, durationMs: 3_000 },
};
