import type { LoadRunResult } from '../load-run.js';
import type { BenchResults } from '../results.js';
import { round } from '../stats.js';
import { ackCheck } from './ack-check.js';
import { backlogBinding } from './backlog-binding.js';

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

/** Server + worker CPU ms per message of a profiled target; undefined when not measured. */
export function engineCpu(
  cpu: Partial<BenchResults['profile']['cpuPerMessage']>,
  name: 'bridge' | 'bare' | 'bareLocal',
) {
  const ms = cpu[name]?.ms;
  return ms?.temporal === undefined || ms.worker === undefined ? undefined : round(ms.temporal + ms.worker, 2);
}

const share = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? undefined : round(a / b, 2);

/** The bridge's ladder over the engine baseline's, and whether every step it sustained was exactly once, in order. */
function rateCheck(throughput: BenchResults['throughput'], label: string): TargetCheck {
  const bridge = throughput.find((t) => t.target === 'bridge');
  const bare = throughput.find((t) => t.target === 'bare');
  const ratio = share(bridge?.maxSustained, bare?.maxSustained);
  const steps = bridge?.steps ?? [];
  const dup = steps.reduce((n, s) => n + s.duplicates, 0);
  const order = steps.reduce((n, s) => n + (s.outOfOrder ?? 0), 0);
  return {
    target: `${label}highest sustained inbound rate ≥ 1.25× the engine baseline's, every message published exactly once and in order`,
    measured:
      bridge && bare
        ? `${bridge.maxSustained}/s against ${bare.maxSustained}/s (×${ratio ?? '–'}); over the ladder ${dup} duplicates, ${order} out of order`
        : 'not measured',
    met: ratio === undefined ? undefined : ratio >= 1.25,
  };
}

function cpuCheck(cpu: Partial<BenchResults['profile']['cpuPerMessage']>, label: string): TargetCheck {
  const bridge = engineCpu(cpu, 'bridge');
  const bare = engineCpu(cpu, 'bare');
  const ratio = share(bridge, bare);
  return {
    target: `${label}CPU per message (Temporal server + worker) ≤ 0.8× the engine baseline's`,
    measured: ratio === undefined ? 'not measured' : `${bridge} ms against ${bare} ms (×${ratio})`,
    met: ratio === undefined ? undefined : ratio <= 0.8,
  };
}

/** The reply targets at 10 replies/s (delivery p50/p99; SENT after delivery p50). */
function replyChecks(outbound: BenchResults['outbound'], label: string): TargetCheck[] {
  const at10 = outbound.find((o) => o.ratePerSecond === 10);
  const d = at10?.delivery;
  const s = at10?.deliveryToSent;
  return [
    {
      target: `${label}reply → customer p50 ≤ 150 ms and p99 ≤ 500 ms at 10 replies/s`,
      measured: d ? `p50 ${d.p50} ms, p99 ${d.p99} ms (${at10!.delivered}/${at10!.replies} delivered)` : 'not measured',
      met: d ? d.p50 <= 150 && d.p99 <= 500 && at10!.delivered === at10!.replies : undefined,
    },
    {
      target: `${label}SENT written ≤ 100 ms after delivery at p50 (10 replies/s)`,
      measured: s ? `p50 ${s.p50} ms, p99 ${s.p99} ms` : 'not measured',
      met: s ? s.p50 <= 100 : undefined,
    },
  ];
}

/** The issue's targets, each with what this run measured (the latency pass's after the main run's). */
export function checkTargets(r: BenchResults): TargetCheck[] {
  const bridge = r.throughput.find((t) => t.target === 'bridge');
  const steadyRuns = steadyBridgeRuns(r);
  const rss = (part: string) => Math.max(0, ...steadyRuns.map((x) => x.rssMb[part]?.max ?? 0));
  const b = r.backlog;
  const slowest = b.portals.length ? Math.min(...b.portals.map((p) => p.shareOfLimit)) : 0;
  const binding = backlogBinding(b, r.machine.cores);
  const calls = r.profile.hubspotCallsPerMessage;
  const ack = ackCheck(r.ack, bridge?.maxSustained ?? 0);
  const idle = r.idle ?? [];
  const notIdle = idle.filter((c) => !c.drained);
  const checks: TargetCheck[] = [
    rateCheck(r.throughput, ''),
    cpuCheck(r.profile.cpuPerMessage, ''),
    {
      target: '≤ 1.05 HubSpot calls per inbound message at steady state',
      measured: calls?.messages
        ? `${calls.perMessage} (${calls.calls} calls for ${calls.messages} messages in the profile run)`
        : 'not measured',
      met: calls?.messages ? calls.perMessage <= 1.05 : undefined,
    },
    {
      target: 'backlog: each portal ≥ 95 % of its limit with < 1 % 429s; the limit binds, not the CPU',
      measured: `slowest portal ${round(slowest * 100)} % of its limit; ${b.rateLimited} × 429 (${round(b.rateLimitedShare * 100, 2)} %); binds: ${binding.binds} (${binding.why}); ${b.failed + (b.refused ?? 0)} failed${b.unpublished ? `, ${b.unpublished} not published in time` : ''}`,
      met:
        b.portals.length > 0
          ? slowest >= 0.95 && b.rateLimitedShare < 0.01 && b.failed + (b.refused ?? 0) === 0
          : undefined,
    },
    ...replyChecks(r.outbound, ''),
    {
      target:
        "webhook ack p99 ≤ 50 ms at every rate the bridge sustains; above it 503 with Retry-After, every answer within the senders' strictest standard (median ≤ 250 ms, p99 ≤ 1 s)",
      measured: ack.measured,
      met: ack.met,
    },
    {
      target: 'worker RSS ≤ 250 MB at steady load',
      measured: `${rss('worker')} MB`,
      met: rss('worker') > 0 ? rss('worker') <= 250 : undefined,
    },
    {
      target: 'api RSS ≤ 150 MB at steady load',
      measured: `${rss('api')} MB`,
      met: rss('api') > 0 ? rss('api') <= 150 : undefined,
    },
    {
      target: 'every scenario starts from a drained, idle system',
      measured: idle.length
        ? `${idle.length - notIdle.length} of ${idle.length} checks drained${notIdle.length ? `; not: ${notIdle.map((c) => c.label).join(', ')}` : ''}`
        : 'not checked',
      met: idle.length ? notIdle.length === 0 : undefined,
    },
  ];
  const l = r.latency;
  if (l) {
    const label = `with ${l.hubspotLatencyMs} ms HubSpot latency: `;
    checks.push(rateCheck(l.throughput, label), cpuCheck(l.cpuPerMessage, label), ...replyChecks(l.outbound, label));
  }
  return checks;
}
