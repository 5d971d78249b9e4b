import type { LoadRunResult } from '../load-run.js';
import type { BenchResults } from '../results.js';
import { round } from '../stats.js';

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** undefined when the run has no figure for it. */
  readonly met: boolean | undefined;
}

export const findRun = (runs: readonly LoadRunResult[], target: LoadRunResult['target'], label: string, rate: number) =>
  runs.find((r) => r.target === target && r.label === label && r.ratePerSecond === rate);

/**
 * Runs of the bridge at a load it kept up with (scenario 2 and the ladder): where "steady load" memory is read. When
 * it kept up with none, the lowest-rate text run stands in (the report shows how far it kept up).
 */
export function steadyBridgeRuns(r: BenchResults): LoadRunResult[] {
  const ladder = r.throughput.find((t) => t.target === 'bridge')?.steps ?? [];
  const runs = [...r.e2e.filter((x) => x.target === 'bridge'), ...ladder];
  const steady = runs.filter((x) => x.keptUp >= 0.9 && x.missing === 0);
  if (steady.length > 0) return steady;
  const text = r.e2e
    .filter((x) => x.target === 'bridge' && x.label === 'text')
    .sort((a, b) => a.ratePerSecond - b.ratePerSecond);
  return text.slice(0, 1);
}

/** The issue's targets, each with what this run measured. */
export function checkTargets(r: BenchResults): TargetCheck[] {
  const ack200 = findRun(r.ack, 'bridge', 'ack', 200);
  const e2e50 = findRun(r.e2e, 'bridge', 'text', 50);
  const bridge = r.throughput.find((t) => t.target === 'bridge');
  const bare = r.throughput.find((t) => t.target === 'bare');
  const worker = Math.max(0, ...steadyBridgeRuns(r).map((x) => x.rssMb.worker?.max ?? 0));
  const b = r.backlog;
  const slowest = b.portals.length ? Math.min(...b.portals.map((p) => p.shareOfLimit)) : 0;
  const share = bridge && bare && bare.maxSustained > 0 ? bridge.maxSustained / bare.maxSustained : 0;
  return [
    {
      target: 'Ack p99 ≤ 25 ms at 200 requests/s',
      measured: ack200?.ack ? `p99 ${ack200.ack.p99} ms` : 'not measured',
      met: ack200?.ack ? ack200.ack.p99 <= 25 : undefined,
    },
    {
      target: 'End-to-end text inbound p50 ≤ 60 ms and p99 ≤ 250 ms at 50 messages/s',
      measured: e2e50?.e2e ? `p50 ${e2e50.e2e.p50} ms, p99 ${e2e50.e2e.p99} ms` : 'not measured',
      met: e2e50?.e2e ? e2e50.e2e.p50 <= 60 && e2e50.e2e.p99 <= 250 : undefined,
    },
    {
      target: 'Sustained inbound ≥ 70 % of the bare-workflow baseline and ≥ 150 messages/s',
      measured:
        bridge && bare
          ? `${bridge.maxSustained} msg/s = ${Math.round(share * 100)} % of ${bare.maxSustained} msg/s`
          : 'not measured',
      met: bridge && bare ? share >= 0.7 && bridge.maxSustained >= 150 : undefined,
    },
    {
      // With every HubSpot call behind the portal's limiter, replies mixed into the drain meet no 429 either.
      target:
        'Backlog with replies mixed in: each portal ≥ 95 % of its limit, 0 × 429 (inbound and outbound), no message failed',
      measured: `slowest portal ${round(slowest * 100)} % of its limit; ${b.rateLimited} × 429 (${round(b.rateLimitedShare * 100, 2)} %${b.outbound ? `; ${b.outbound.rateLimited} of them outbound, ${b.outbound.replies} replies` : ''}); ${b.failed + (b.refused ?? 0)} failed${b.unpublished ? `, ${b.unpublished} not yet published at the time limit` : ''}`,
      met:
        b.portals.length > 0 ? slowest >= 0.95 && b.rateLimited === 0 && b.failed + (b.refused ?? 0) === 0 : undefined,
    },
    {
      target: 'Worker RSS ≤ 300 MB at steady load',
      measured: `${worker} MB`,
      met: worker > 0 ? worker <= 300 : undefined,
    },
  ];
}
