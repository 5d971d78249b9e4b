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
  /**
   * How long the bench waits, before each scenario and each ladder target, for the system to be drained and idle (no
   * open workflow, no pending task, no catch-up hold); past it the scenario runs anyway, and the report says what was
   * still open.
   */
  readonly idleTimeoutMs: number;
  /** Messages whose Temporal histories are counted for the profile. */
  readonly historySample: number;
  /** The profile's CPU-per-message runs: a rate every target keeps up with. */
  readonly profile: { readonly ratePerSecond: number; readonly durationMs: number };
  /**
   * The latency pass: a second system whose HubSpot sandbox holds every call `hubspotLatencyMs`, on which the ladder
   * (bridge and engine baseline), the profile's CPU per message and the outbound scenario run again.
   */
  readonly latencyPass?: {
    readonly hubspotLatencyMs: number;
    readonly ladder: readonly number[];
    readonly durationMs: number;
    readonly profile: { readonly ratePerSecond: number; readonly durationMs: number };
    readonly outbound: { readonly rates: readonly number[]; readonly durationMs: number };
  };
}

/** Scenario 3's targets, climbed in this order; the engine's one-local-activity shape is one of them. */
export const LADDER_TARGETS = ['bridge', 'bare', 'bareLocal', 'naive'] as const;
/** The latency pass climbs only the targets whose ratios the report compares. */
export const LATENCY_LADDER_TARGETS = ['bridge', 'bare', 'bareLocal'] as const;

/**
 * About 30 minutes on a quiet 2-core machine, the latency pass included. Steps of 10 s (the ladder's rungs are 10/s
 * apart where the targets' limits lie, so a ratio of 1.25 is visible) and 5 s ack runs keep it there.
 */
export const FULL: BenchPlan = {
  mode: 'full',
  ack: { rates: [50, 200, 500], durationMs: 5_000, drainTimeoutMs: 30_000 },
  e2e: { rates: [20, 50], durationMs: 10_000 },
  // From low rates, so a busy machine still finds the highest sustained one; the first failing step ends the climb.
  throughput: { ladder: [20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 200, 300, 400, 600], durationMs: 10_000 },
  outbound: { rates: [2, 10], durationMs: 10_000 },
  // HubSpot's real limit (100 requests per 10 s per portal) on three portals: 30 calls/s in all, well under what the
  // bridge sustains (the ladder), so the limits bind and not the CPU. 800 messages each: over a minute per portal
  // at one call per message.
  backlog: {
    portals: 3,
    messages: 2_400,
    conversationsPerPortal: 30,
    rateLimit: { max: 100, intervalMs: 10_000 },
    senders: 32,
    timeoutMs: 6 * 60_000,
    replies: { threadsPerPortal: 5, count: 75, ratePerSecond: 0.5, fileEvery: 5 },
  },
  drainTimeoutMs: 60_000,
  idleTimeoutMs: 90_000,
  historySample: 40,
  profile: { ratePerSecond: 20, durationMs: 10_000 },
  latencyPass: {
    hubspotLatencyMs: 80,
    ladder: [20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 200],
    durationMs: 10_000,
    profile: { ratePerSecond: 20, durationMs: 10_000 },
    outbound: { rates: [10], durationMs: 10_000 },
  },
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
  // 10 replies/s: the rate the reply targets are set at.
  outbound: { rates: [10], durationMs: 2_000 },
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
  idleTimeoutMs: 20_000,
  historySample: 10,
  profile: { ratePerSecond: 20, durationMs: 3_000 },
  latencyPass: {
    hubspotLatencyMs: 80,
    ladder: [20],
    durationMs: 3_000,
    profile: { ratePerSecond: 10, durationMs: 3_000 },
    outbound: { rates: [10], durationMs: 2_000 },
  },
};
