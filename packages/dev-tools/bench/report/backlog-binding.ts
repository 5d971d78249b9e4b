import type { BacklogResult } from '../scenarios/backlog.js';
import { round } from '../stats.js';

export interface BacklogBinding {
  /** `limit`: the portals ran at their limits; `cpu`: the processes were saturated first; `neither`: something else. */
  readonly binds: 'limit' | 'cpu' | 'neither';
  readonly why: string;
}

/** A portal at ≥ 90 % of its limit over the drain is held by the limit. */
const AT_LIMIT = 0.9;
/** Past this share of the machine's cores (worker + Temporal), or of one core for the worker alone, the CPU binds. */
const SATURATED = 0.85;

/**
 * Which held the backlog back: compares each portal's steady call rate with its limit, and the cores the worker and
 * the Temporal server kept busy over the drain (a Node worker runs its JavaScript on one core).
 */
export function backlogBinding(b: BacklogResult, cores: number): BacklogBinding {
  const shares = b.portals.map((p) => p.shareOfLimit);
  const slowest = shares.length ? Math.min(...shares) : 0;
  const worker = b.cpuCores?.worker;
  const busy = Object.values(b.cpuCores ?? {}).reduce((a, c) => a + c, 0);
  const cpu =
    b.cpuCores === undefined
      ? 'CPU not measured'
      : `worker ${worker ?? '?'} cores, worker + Temporal ${round(busy, 2)} of ${cores}`;
  const portals = `slowest portal at ${round(slowest * 100, 1)} % of its limit`;
  if (shares.length && slowest >= AT_LIMIT) return { binds: 'limit', why: `${portals}; ${cpu}` };
  if ((worker !== undefined && worker >= SATURATED) || busy >= SATURATED * cores)
    return { binds: 'cpu', why: `${cpu}; ${portals}` };
  return { binds: 'neither', why: `${portals}; ${cpu}: neither the limits nor the CPU were saturated` };
}
