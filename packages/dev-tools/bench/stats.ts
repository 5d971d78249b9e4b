import * as hdr from 'hdr-histogram-js';

/** Latency percentiles in ms, from an HDR histogram at 3 significant digits (0.1 % error at any value). */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

// Microseconds, so sub-millisecond acks keep their precision; up to 10 minutes.
const MAX_US = 600_000_000;

/** Summarises latencies given in ms; `undefined` when there are none. */
export function summarise(valuesMs: readonly number[]): LatencySummary | undefined {
  if (valuesMs.length === 0) return undefined;
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_US,
    numberOfSignificantValueDigits: 3,
  });
  for (const ms of valuesMs) histogram.recordValue(Math.min(MAX_US, Math.max(1, Math.round(ms * 1000))));
  // The histogram answers a bucket's highest equivalent value; the exact max bounds it.
  const max = valuesMs.reduce((a, b) => (b > a ? b : a), -Infinity);
  const at = (p: number) => round(Math.min(max, histogram.getValueAtPercentile(p) / 1000));
  const mean = valuesMs.reduce((a, b) => a + b, 0) / valuesMs.length;
  const summary = { count: valuesMs.length, p50: at(50), p90: at(90), p99: at(99), max: round(max), mean: round(mean) };
  histogram.destroy();
  return summary;
}

/** Points for a latency distribution chart: the value at each percentile from 0 to 99.99. */
export function percentileCurve(valuesMs: readonly number[]): { percentile: number; ms: number }[] {
  if (valuesMs.length === 0) return [];
  const sorted = [...valuesMs].sort((a, b) => a - b);
  const steps = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9, 99.99];
  return steps.map((percentile) => ({
    percentile,
    ms: round(sorted[Math.min(sorted.length - 1, Math.floor((percentile / 100) * sorted.length))]!),
  }));
}

/** Counts per second from `startMs`, for a throughput-over-time chart. */
export function perSecond(timesMs: readonly number[], startMs: number, seconds: number): number[] {
  const buckets = new Array<number>(Math.max(1, Math.ceil(seconds))).fill(0);
  for (const t of timesMs) {
    const i = Math.floor((t - startMs) / 1000);
    if (i >= 0 && i < buckets.length) buckets[i]! += 1;
  }
  return buckets;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
