import { loadRun, type Target } from '../load-run.js';
import type { PlannedRequest } from '../load/open-loop.js';
import { steadyCallsPerMessage, type CallsPerMessage } from '../observe/calls-per-message.js';
import { cpuDuring } from '../observe/cpu.js';
import type { HubSpotLedger } from '../observe/hubspot-ledger.js';
import { round } from '../stats.js';

export interface CpuPerMessage {
  readonly messages: number;
  /** CPU ms per message of each process, idle use subtracted. */
  readonly ms: Record<string, number>;
}

export interface CpuRunSpec {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly drainTimeoutMs: number;
  /** Conversations the messages are spread over: the first publish of each is a warm-up for the call count. */
  readonly threads: number;
}

/**
 * One fixed-rate run of a target at a rate it keeps up with, with the CPU time of every process on its path read from
 * /proc before and after (the drain included); with a ledger, also the HubSpot calls per message at steady state.
 */
export async function cpuRun(
  target: Target,
  processes: Record<string, number | undefined>,
  make: (index: number) => PlannedRequest,
  spec: CpuRunSpec,
  ledger?: HubSpotLedger,
): Promise<{ cpu: CpuPerMessage; sampleKeys: string[]; hubspotCalls?: CallsPerMessage }> {
  await ledger?.poll();
  const callsBefore = ledger?.calls.length ?? 0;
  let done = 0;
  let keys: string[] = [];
  const cpu = await cpuDuring(processes, async () => {
    const run = await loadRun(target, {
      label: 'profile',
      ratePerSecond: spec.ratePerSecond,
      durationMs: spec.durationMs,
      make,
      drainTimeoutMs: spec.drainTimeoutMs,
    });
    done = run.done;
    keys = run.sampleKeys;
  });
  let hubspotCalls: CallsPerMessage | undefined;
  if (ledger) {
    await ledger.poll();
    const calls = ledger.calls.slice(callsBefore);
    const since = calls[0]?.at ?? Infinity;
    const publishes = [...ledger.firstPublish.values()].filter((p) => p.at >= since).map((p) => p.at);
    hubspotCalls = steadyCallsPerMessage(
      calls.map((c) => c.at),
      publishes,
      spec.threads,
    );
  }
  return {
    cpu: {
      messages: done,
      ms: Object.fromEntries(Object.entries(cpu).map(([p, ms]) => [p, round(ms / Math.max(1, done), 2)])),
    },
    sampleKeys: keys,
    ...(hubspotCalls ? { hubspotCalls } : {}),
  };
}
