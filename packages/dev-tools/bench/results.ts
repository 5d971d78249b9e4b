import type { LoadRunResult } from './load-run.js';
import type { HistoryProfile } from './observe/history.js';
import type { CallCost } from './observe/hubspot-client.js';
import type { StoreProfile } from './observe/profile.js';
import type { BenchPlan } from './plan.js';
import type { MachineInfo } from './report/machine.js';
import type { BacklogResult } from './scenarios/backlog.js';
import type { ThroughputResult } from './scenarios/inbound.js';
import type { OutboundRunResult } from './scenarios/outbound.js';
import type { LatencySummary } from './stats.js';

/** Everything a bench run measured; written as results.json beside the report. */
export interface BenchResults {
  readonly mode: BenchPlan['mode'];
  readonly startedAt: string;
  readonly durationS: number;
  readonly machine: MachineInfo;
  readonly hubspotLatencyMs: number;
  readonly plan: BenchPlan;
  readonly ack: LoadRunResult[];
  readonly e2e: LoadRunResult[];
  readonly throughput: ThroughputResult[];
  readonly outbound: OutboundRunResult[];
  readonly backlog: BacklogResult;
  readonly profile: ProfileResults;
}

export interface ProfileResults {
  /** CPU ms per message of each process on a target's path, at a rate every target keeps up with. */
  readonly cpuPerMessage: Record<
    'bridge' | 'bare' | 'bareSearchAttributes' | 'naive',
    { readonly messages: number; readonly ms: Record<string, number> }
  >;
  /** Bytes the bridge's api and worker log per message at the default level (info). */
  readonly logBytesPerMessage: { readonly api: number; readonly worker: number };
  /** fsync/fdatasync calls per message in the bridge's api and worker (strace); absent without strace. */
  readonly fsyncsPerMessage?: { readonly api: number; readonly worker: number };
  readonly inboundHistory: HistoryProfile;
  readonly bareHistory: HistoryProfile;
  /** One webhook at a time on an idle system. */
  readonly sequentialAck: Record<'bridge' | 'bare' | 'naive', LatencySummary>;
  readonly temporalCalls: { readonly start: LatencySummary; readonly signalWithStart: LatencySummary };
  readonly store: StoreProfile;
  /**
   * One HubSpot call from the caller's side: a fresh SDK Client per call (as the bridge does), a kept one, plain fetch.
   */
  readonly hubspotCall: Record<'freshSdkClient' | 'keptSdkClient' | 'fetch', CallCost>;
}
