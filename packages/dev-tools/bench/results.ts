import type { LoadRunResult } from './load-run.js';
import type { CallsPerMessage } from './observe/calls-per-message.js';
import type { HistoryProfile } from './observe/history.js';
import type { IdleCheck } from './observe/idle.js';
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
  /** The check before each scenario and ladder target: drained and idle or not (absent in results saved before it). */
  readonly idle?: IdleCheck[];
  /** The same ratios again with HubSpot's calls held `hubspotLatencyMs` (absent when the plan has no latency pass). */
  readonly latency?: LatencyPassResults;
}

/** The latency pass: its own system, with the HubSpot sandbox's latency set. */
export interface LatencyPassResults {
  readonly hubspotLatencyMs: number;
  readonly throughput: ThroughputResult[];
  readonly cpuPerMessage: Partial<ProfileResults['cpuPerMessage']>;
  readonly hubspotCallsPerMessage?: CallsPerMessage;
  readonly outbound: OutboundRunResult[];
  readonly idle: IdleCheck[];
}

export interface ProfileResults {
  /** CPU ms per message of each process on a target's path, at a rate every target keeps up with. */
  readonly cpuPerMessage: Record<
    'bridge' | 'bare' | 'bareLocal' | 'bareSearchAttributes' | 'naive',
    { readonly messages: number; readonly ms: Record<string, number> }
  >;
  /** The bridge's HubSpot calls per published message in its profile run, at steady state. */
  readonly hubspotCallsPerMessage?: CallsPerMessage;
  /** Bytes the bridge's api and worker log per message at the default level (info). */
  readonly logBytesPerMessage: { readonly api: number; readonly worker: number };
  /** fsync/fdatasync calls per message in the bridge's api and worker (strace); absent without strace. */
  readonly fsyncsPerMessage?: { readonly api: number; readonly worker: number };
  readonly inboundHistory: HistoryProfile;
  readonly bareHistory: HistoryProfile;
  /** The engine baseline's one-local-activity shape. */
  readonly localHistory?: HistoryProfile;
  /** One webhook at a time on an idle system. */
  readonly sequentialAck: Record<'bridge' | 'bare' | 'naive', LatencySummary>;
  readonly temporalCalls: { readonly start: LatencySummary; readonly signalWithStart: LatencySummary };
  readonly store: StoreProfile;
  /**
   * One HubSpot call from the caller's side: a fresh SDK Client per call (as the bridge does), a kept one, plain fetch.
   */
  readonly hubspotCall: Record<'freshSdkClient' | 'keptSdkClient' | 'fetch', CallCost>;
}
