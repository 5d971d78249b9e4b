import type { BenchResults } from '../results.js';
import { findRun } from './targets.js';
import { lineChart, nines, NINES_TICKS, type Series } from './svg.js';

const curve = (points: { percentile: number; ms: number }[]) =>
  points.map((p) => [nines(p.percentile), Math.max(0.1, p.ms)] as const);

/** Every chart of the report, by file name, drawn from this run's data. */
export function charts(r: BenchResults): Record<string, string> {
  const out: Record<string, string> = {};
  const ackRate = r.plan.ack.rates.includes(200) ? 200 : r.plan.ack.rates[0]!;
  out['ack-latency.svg'] = lineChart({
    title: `Scenario 1: webhook ack latency at ${ackRate} requests/s`,
    xLabel: 'percentile',
    yLabel: 'ms (log scale)',
    logY: true,
    xTicks: NINES_TICKS,
    marks: [{ y: 50, label: 'target p99 50 ms' }],
    series: (['bridge', 'bare', 'naive'] as const).flatMap((t) => {
      const run = findRun(r.ack, t, 'ack', ackRate);
      return run ? [{ name: NAMES[t], points: curve(run.curves.ack) }] : [];
    }),
  });
  const e2eRate = r.plan.e2e.rates.includes(50) ? 50 : r.plan.e2e.rates.at(-1)!;
  out['e2e-latency.svg'] = lineChart({
    title: `Scenario 2: webhook → published in HubSpot at ${e2eRate} messages/s`,
    xLabel: 'percentile',
    yLabel: 'ms (log scale)',
    logY: true,
    xTicks: NINES_TICKS,
    marks: [
      { y: 250, label: 'target p99 250 ms' },
      { y: 60, label: 'target p50 60 ms' },
    ],
    series: [
      ...(['text', 'media'] as const).flatMap((label) => {
        const run = findRun(r.e2e, 'bridge', label, e2eRate);
        return run ? [{ name: `bridge, ${label}`, points: curve(run.curves.e2e) }] : [];
      }),
      ...(['bare', 'naive'] as const).flatMap((t) => {
        const run = findRun(r.e2e, t, 'text', e2eRate);
        return run ? [{ name: NAMES[t], points: curve(run.curves.e2e), dashed: true }] : [];
      }),
    ],
  });
  out['throughput-ladder.svg'] = lineChart({
    title: 'Scenario 3: completed per second while the load ran, by offered rate',
    xLabel: 'offered messages/s',
    yLabel: 'completed messages/s',
    series: [
      {
        name: 'offered = completed',
        points: [
          [0, 0],
          [r.plan.throughput.ladder.at(-1)!, r.plan.throughput.ladder.at(-1)!],
        ],
        dashed: true,
      },
      ...r.throughput.map((t) => ({
        name: NAMES[t.target],
        points: t.steps.map((s) => [s.ratePerSecond, s.keptUp * s.ratePerSecond] as const),
      })),
    ],
  });
  const bridge = r.throughput.find((t) => t.target === 'bridge');
  const top = bridge?.steps.at(-1);
  if (top) {
    const series = (name: string, values: number[], dashed = false): Series => ({
      name,
      points: values.map((v, i) => [i + 0.5, v] as const),
      dashed,
    });
    out['throughput-time.svg'] = lineChart({
      title: `Scenario 3: the bridge at ${top.ratePerSecond} messages/s, per second`,
      xLabel: 'seconds since the load started',
      yLabel: 'messages per second',
      series: [
        series('webhooks sent', top.timeline.sentPerSecond, true),
        series('acknowledged', top.timeline.ackedPerSecond),
        series('published in HubSpot', top.timeline.donePerSecond),
      ],
    });
  }
  const [firstOutbound] = r.outbound.slice(-1);
  if (firstOutbound) {
    out['outbound-latency.svg'] = lineChart({
      title: `Scenario 4: rep reply → delivered at the provider, ${firstOutbound.ratePerSecond} replies/s`,
      xLabel: 'percentile',
      yLabel: 'ms (log scale)',
      logY: true,
      xTicks: NINES_TICKS,
      series: [{ name: 'bridge', points: curve(firstOutbound.curve) }],
    });
  }
  const limitPerSecond = r.backlog.limit.max / (r.backlog.limit.intervalMs / 1000);
  out['backlog.svg'] = lineChart({
    title: `Scenario 5: HubSpot calls per second per portal (limit ${r.backlog.limit.max} per ${r.backlog.limit.intervalMs / 1000} s)`,
    xLabel: 'seconds since the worker started',
    yLabel: `accepted calls/s (${r.backlog.limit.intervalMs / 1000} s average)`,
    marks: [{ y: limitPerSecond, label: `limit ${limitPerSecond}/s on average` }],
    series: Object.entries(r.backlog.callsPerSecond).map(([portal, values]) => ({
      name: `portal ${portal}`,
      points: smooth(values, Math.round(r.backlog.limit.intervalMs / 1000)).map((v, i) => [i + 0.5, v] as const),
    })),
  });
  return out;
}

export const NAMES = {
  bridge: 'bridge',
  bare: 'engine baseline',
  bareLocal: 'one local activity',
  naive: 'naive forwarder',
} as const;

/** A trailing moving average over `seconds` (the limit's window), so per-second jitter does not hide the rate. */
function smooth(values: number[], seconds: number): number[] {
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - seconds + 1), i + 1);
    return window.reduce((a, b) => a + b, 0) / window.length;
  });
}
