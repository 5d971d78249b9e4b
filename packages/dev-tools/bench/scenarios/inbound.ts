import type { DemoAccount } from '../../src/local/demo-seed.js';
import { loadRun, type LoadRunResult, type Target } from '../load-run.js';
import { traffic, type TrafficOptions } from '../load/traffic.js';

export interface InboundContext {
  readonly targets: Readonly<Record<Target['name'], Target>>;
  readonly accounts: TrafficOptions['accounts'];
  readonly mediaUrl: string;
  readonly log: (line: string) => void;
}

/**
 * About one message a second per conversation, as customers write; a multiple of 5 keeps each thread on one provider.
 */
const threadsFor = (rate: number) => Math.max(20, Math.ceil(rate / 5) * 5);

function describe(r: LoadRunResult): string {
  const fmt = (s?: { p50: number; p99: number; max: number }) =>
    s ? `p50 ${s.p50} p99 ${s.p99} max ${s.max} ms` : '-';
  const rejected = Object.entries(r.rejected)
    .map(([s, n]) => `${n}×${s}`)
    .join(' ');
  const order = r.outOfOrder ? `, ${r.outOfOrder} out of order` : '';
  return `${r.target} ${r.label} @${r.ratePerSecond}/s: ack ${fmt(r.ack)}; e2e ${fmt(r.e2e)}; done ${r.done}/${r.accepted}, kept up ${Math.round(r.keptUp * 100)} %${order}${rejected ? `, rejected ${rejected}` : ''}`;
}

async function run(
  ctx: InboundContext,
  name: Target['name'],
  label: string,
  rate: number,
  durationMs: number,
  drainTimeoutMs: number,
  kind: TrafficOptions['kind'] = 'text',
  providerMix = false,
) {
  const make = traffic(`${name}-${label}`, {
    accounts: ctx.accounts,
    threads: threadsFor(rate),
    kind,
    providerMix: providerMix && name === 'bridge',
    mediaUrl: ctx.mediaUrl,
  });
  const result = await loadRun(ctx.targets[name], { label, ratePerSecond: rate, durationMs, make, drainTimeoutMs });
  ctx.log(describe(result));
  return result;
}

/**
 * Scenario 1: how fast a webhook is acknowledged at fixed rates. Rate by rate, every target at the same rate, each run
 * waiting for the work it left (bounded), so a baseline's backlog does not land on the bridge's run. The very last run
 * (the bridge at the highest rate) does not wait: nothing runs after it.
 */
export async function ackScenario(
  ctx: InboundContext,
  rates: readonly number[],
  durationMs: number,
  drainTimeoutMs: number,
): Promise<LoadRunResult[]> {
  const results: LoadRunResult[] = [];
  for (const rate of rates) {
    for (const name of ['naive', 'bare', 'bridge'] as const) {
      const last = rate === rates.at(-1) && name === 'bridge';
      results.push(await run(ctx, name, 'ack', rate, durationMs, last ? 1_000 : drainTimeoutMs));
    }
  }
  return results;
}

/** Scenario 2: webhook sent → published in HubSpot, text (generic, Telegram, WhatsApp) and the media mix (generic). */
export async function e2eScenario(
  ctx: InboundContext,
  rates: readonly number[],
  durationMs: number,
  drainTimeoutMs: number,
): Promise<LoadRunResult[]> {
  const results: LoadRunResult[] = [];
  for (const rate of rates) {
    results.push(await run(ctx, 'bridge', 'text', rate, durationMs, drainTimeoutMs, 'text', true));
    results.push(await run(ctx, 'bridge', 'media', rate, durationMs, drainTimeoutMs, 'media'));
    results.push(await run(ctx, 'bare', 'text', rate, durationMs, drainTimeoutMs));
    results.push(await run(ctx, 'naive', 'text', rate, durationMs, drainTimeoutMs));
  }
  return results;
}

export interface ThroughputResult {
  readonly target: Target['name'];
  readonly steps: LoadRunResult[];
  /** The highest offered rate at which every message was done exactly once and the completions kept pace. */
  readonly maxSustained: number;
  /** The best completion rate seen in any step: what the target can do when pushed past its limit. */
  readonly capacity: number;
}

/**
 * A step is sustained when nothing was refused or lost, nothing was duplicated, and completions kept ≥ 95 % pace; for
 * the bridge, also nothing published out of its conversation's order (the baselines promise no order).
 */
export const sustained = (r: LoadRunResult) =>
  r.accepted === r.sent &&
  r.missing === 0 &&
  r.duplicates === 0 &&
  (r.target !== 'bridge' || (r.outOfOrder ?? 0) === 0) &&
  r.keptUp >= 0.95;

/** Scenario 3: climbs a ladder of rates until a step is not sustained. */
export async function throughputScenario(
  ctx: InboundContext,
  name: Target['name'],
  ladder: readonly number[],
  durationMs: number,
  drainTimeoutMs: number,
): Promise<ThroughputResult> {
  const steps: LoadRunResult[] = [];
  for (const rate of ladder) {
    const step = await run(ctx, name, 'ladder', rate, durationMs, drainTimeoutMs);
    steps.push(step);
    if (!sustained(step)) break;
  }
  return {
    target: name,
    steps,
    maxSustained: Math.max(0, ...steps.filter(sustained).map((s) => s.ratePerSecond)),
    capacity: Math.max(0, ...steps.map((s) => Math.round(s.keptUp * s.ratePerSecond))),
  };
}

export type { DemoAccount };
