import path from 'node:path';
import { startLocalSystem } from '../../src/local/system.js';
import { startBaselines } from '../baselines/start.js';
import { HubSpotLedger } from '../observe/hubspot-ledger.js';
import type { IdleCheck } from '../observe/idle.js';
import { LATENCY_LADDER_TARGETS, type BenchPlan } from '../plan.js';
import type { LatencyPassResults } from '../results.js';
import { accountsOf, probeSystem, settler, targetsOf } from '../system-targets.js';
import { cpuPerMessageOf, profiledProcesses, profiledTargets } from './profile.js';
import { throughputScenario, type InboundContext } from './inbound.js';
import { outboundRuns } from './outbound.js';

/** Settings a bench system's bridge runs with: HubSpot's limit lifted, and a short receipt wait (see run.ts). */
export const UNTHROTTLED_BRIDGE_ENV = { HUBSPOT_RATE_LIMIT_PER_10S: '1000000000', OUTBOUND_RECEIPT_WAIT_SECONDS: '5' };

/**
 * The latency pass: a system of its own whose HubSpot sandbox holds every call `hubspotLatencyMs`, as over the
 * internet, and on it again the profile's CPU per message (bridge, engine baseline, one local activity), the outbound
 * scenario and the throughput ladder (the same three), each from a drained, idle system.
 */
export async function latencyPass(options: {
  readonly plan: NonNullable<BenchPlan['latencyPass']>;
  readonly drainTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly dataDir: string;
  /** The bridge's build (run.ts): the api and worker run as deployed. */
  readonly bridgeBuild: string;
  readonly running: Set<{ stop(): Promise<void> }>;
  readonly log: (line: string) => void;
}): Promise<LatencyPassResults> {
  const { plan, log, running } = options;
  const system = await startLocalSystem({
    dataDir: options.dataDir,
    bridgeBuild: options.bridgeBuild,
    sandboxEnv: {
      SANDBOX_HUBSPOT_RATE_LIMIT_MAX: '1000000000',
      SANDBOX_HUBSPOT_LATENCY_MS: String(plan.hubspotLatencyMs),
    },
    bridgeEnv: UNTHROTTLED_BRIDGE_ENV,
  });
  running.add(system);
  const baselines = await startBaselines(system, path.join(options.dataDir, 'logs'));
  running.add(baselines);
  const probe = await probeSystem(system, options.dataDir);
  running.add({ stop: probe.close });
  const idle: IdleCheck[] = [];
  const settleHere = settler(probe, idle, options.idleTimeoutMs, log);
  const settle = (label: string) => settleHere(`latency pass, ${label}`);
  const ledger = new HubSpotLedger(system.urls.hubspot);
  await ledger.skipToEnd();
  const targets = targetsOf(system, baselines, ledger);
  log(`latency pass: system up, HubSpot sandbox latency ${plan.hubspotLatencyMs} ms`);

  const cpu = await cpuPerMessageOf(
    ['bridge', 'bare', 'bareLocal'],
    system,
    profiledProcesses(system, options.dataDir, baselines),
    profiledTargets(targets),
    { ...plan.profile, drainTimeoutMs: options.drainTimeoutMs, beforeEach: settle },
    ledger,
  );

  const outbound = await outboundRuns(system, ledger, plan.outbound, {
    drainTimeoutMs: options.drainTimeoutMs,
    settled: (rate) => settle(`outbound @${rate}/s`),
    ran: (rate, result) =>
      log(`latency pass outbound @${rate}/s: delivery p50 ${result.delivery?.p50} p99 ${result.delivery?.p99} ms`),
  });

  const ctx: InboundContext = { targets, accounts: accountsOf(system), mediaUrl: '', log };
  const throughput = [];
  for (const name of LATENCY_LADDER_TARGETS) {
    await settle(`ladder, ${name}`);
    throughput.push(await throughputScenario(ctx, name, plan.ladder, plan.durationMs, options.drainTimeoutMs));
  }
  return {
    hubspotLatencyMs: plan.hubspotLatencyMs,
    throughput,
    cpuPerMessage: cpu.cpuPerMessage,
    ...(cpu.hubspotCallsPerMessage ? { hubspotCallsPerMessage: cpu.hubspotCallsPerMessage } : {}),
    outbound,
    idle,
  };
}
