import { refusalsOf, type Refusals } from './load/answers.js';
import { runOpenLoop, type PlannedRequest } from './load/open-loop.js';
import { waitForAll, type Completions } from './observe/completions.js';
import { outOfOrder } from './observe/order.js';
import { sampleRss } from './observe/rss.js';
import { percentileCurve, perSecond, round, summarise, type LatencySummary } from './stats.js';

/** Something the bench sends webhooks to: the bridge or a baseline. */
export interface Target {
  readonly name: 'bridge' | 'bare' | 'bareLocal' | 'naive';
  readonly origin: string;
  /** Replaces the planned request's path (the baselines listen on /webhook). */
  readonly path?: string;
  readonly completions: Completions;
  /** Processes whose RSS is sampled during the run. */
  readonly processes: () => Record<string, number | undefined>;
}

export interface LoadRunSpec {
  readonly label: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly make: (index: number) => PlannedRequest;
  /** How long to wait after the last request for the messages to be done. */
  readonly drainTimeoutMs: number;
}

/** Everything one fixed-rate run measured. Times in ms. */
export interface LoadRunResult {
  readonly target: Target['name'];
  readonly label: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly sent: number;
  /** Answered 2xx. */
  readonly accepted: number;
  /** Non-2xx answers and network errors, by status (0 = network error or skipped). */
  readonly rejected: Record<string, number>;
  readonly firstError?: string;
  /** 503s (load shed, with their Retry-After) apart from other failures; optional in results saved before it. */
  readonly refusals?: Refusals;
  /** From when each request was due to its answer. */
  readonly ack?: LatencySummary;
  /** The same for every answer, refusals included: how fast a sender hears back, yes or no. */
  readonly answer?: LatencySummary;
  /** From when each request was due to its publish (or the bare activity). */
  readonly e2e?: LatencySummary;
  readonly done: number;
  /** Accepted but not done within the drain time. */
  readonly missing: number;
  /** Created more than once in HubSpot. */
  readonly duplicates: number;
  /**
   * Published before an earlier message of the same conversation (HubSpot's record order); absent where the target's
   * sink keeps no order (the engine baseline).
   */
  readonly outOfOrder?: number;
  /**
   * How well completions kept pace with the load: the span of the middle 90 % of due times over the span of the middle
   * 90 % of done times (so a steady latency does not count, a growing one does), times the share done. 1 = kept up;
   * below 1 when done at a lower rate than offered (≈ capacity / rate).
   */
  readonly keptUp: number;
  /** Done per second over the whole run: done / (last done − first due). */
  readonly doneRate: number;
  readonly maxSendLagMs: number;
  readonly timeline: {
    readonly sentPerSecond: number[];
    readonly ackedPerSecond: number[];
    readonly donePerSecond: number[];
  };
  readonly curves: {
    readonly ack: { percentile: number; ms: number }[];
    readonly e2e: { percentile: number; ms: number }[];
  };
  /** The first accepted keys (workflow ids), for the history profile. */
  readonly sampleKeys: string[];
  /** Largest and mean RSS per process during the run, MB. */
  readonly rssMb: Record<string, { max: number; mean: number }>;
}

export async function loadRun(target: Target, spec: LoadRunSpec): Promise<LoadRunResult> {
  const rss = sampleRss(target.processes);
  const run = await runOpenLoop({
    origin: target.origin,
    ratePerSecond: spec.ratePerSecond,
    durationMs: spec.durationMs,
    make: (i) => (target.path ? { ...spec.make(i), path: target.path } : spec.make(i)),
  });
  const ok = run.records.filter((r) => r.status >= 200 && r.status < 300);
  const keys = ok.map((r) => r.workflowId).filter((k): k is string => Boolean(k));
  const done = await waitForAll(target.completions, keys, spec.drainTimeoutMs);
  const samples = rss.stop();

  const rejected: Record<string, number> = {};
  for (const r of run.records)
    if (!(r.status >= 200 && r.status < 300)) rejected[r.status] = (rejected[r.status] ?? 0) + 1;
  const e2e = ok.flatMap((r) => {
    const at = r.workflowId ? target.completions.at(r.workflowId) : undefined;
    return at === undefined ? [] : [{ due: r.dueAt, at }];
  });
  const doneTimes = e2e.map((x) => x.at);
  const lastDone = Math.max(run.startedAt, ...doneTimes);
  const seconds = Math.ceil((Math.max(lastDone, run.endedAt) - run.startedAt) / 1000);
  const keptUp =
    paceRatio(
      e2e.map((x) => x.due),
      doneTimes,
    ) *
    (e2e.length / Math.max(1, ok.length));
  const ackLatencies = ok.map((r) => r.doneAt - r.dueAt);
  const answered = run.records.filter((r) => r.status > 0).map((r) => r.doneAt - r.dueAt);
  const order = target.completions.order;
  const ordered = order
    ? ok.flatMap((r) => {
        const at = r.workflowId ? order(r.workflowId) : undefined;
        return at === undefined || !r.thread ? [] : [{ thread: r.thread, due: r.dueAt, order: at }];
      })
    : undefined;
  const e2eLatencies = e2e.map((x) => x.at - x.due);
  return {
    target: target.name,
    label: spec.label,
    ratePerSecond: spec.ratePerSecond,
    durationMs: spec.durationMs,
    sent: run.records.length,
    accepted: ok.length,
    rejected,
    ...(run.records.find((r) => r.error) ? { firstError: run.records.find((r) => r.error)!.error } : {}),
    refusals: refusalsOf(run.records),
    ack: summarise(ackLatencies),
    answer: summarise(answered),
    e2e: summarise(e2eLatencies),
    done,
    missing: keys.length - done,
    duplicates: keys.filter((k) => (target.completions.createdCount(k) ?? 1) > 1).length,
    ...(ordered ? { outOfOrder: outOfOrder(ordered) } : {}),
    keptUp: round(keptUp, 3),
    doneRate: round(doneTimes.length / Math.max(0.001, (lastDone - run.startedAt) / 1000)),
    maxSendLagMs: round(run.maxSendLagMs),
    timeline: {
      sentPerSecond: perSecond(
        run.records.map((r) => r.sentAt),
        run.startedAt,
        seconds,
      ),
      ackedPerSecond: perSecond(
        ok.map((r) => r.doneAt),
        run.startedAt,
        seconds,
      ),
      donePerSecond: perSecond(doneTimes, run.startedAt, seconds),
    },
    curves: { ack: percentileCurve(ackLatencies), e2e: percentileCurve(e2eLatencies) },
    sampleKeys: keys.slice(0, 50),
    rssMb: rssStats(samples),
  };
}

function rssStats(samples: { bytes: Record<string, number> }[]): Record<string, { max: number; mean: number }> {
  const names = Object.keys(samples[0]?.bytes ?? {});
  return Object.fromEntries(
    names.map((name) => {
      const values = samples
        .map((s) => s.bytes[name] ?? 0)
        .filter((b) => b > 0)
        .map((b) => b / 1_048_576);
      return [
        name,
        {
          max: round(Math.max(0, ...values)),
          mean: round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)),
        },
      ];
    }),
  );
}

function paceRatio(dueTimes: number[], doneTimes: number[]): number {
  if (doneTimes.length < 10) return doneTimes.length > 0 ? 1 : 0;
  const span = (times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length * 0.95)]! - sorted[Math.floor(sorted.length * 0.05)]!;
  };
  return Math.min(1.5, span(dueTimes) / Math.max(1, span(doneTimes)));
}
