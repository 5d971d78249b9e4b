import path from 'node:path';
import { BRIDGE_TASK_QUEUE } from '../../bridge/src/domain/task-queues.js';
import type { LocalSystem } from '../src/local/system.js';
import { BARE_TASK_QUEUE, type Baselines } from './baselines/start.js';
import type { Target } from './load-run.js';
import { bareCompletions, ledgerCompletions } from './observe/completions.js';
import type { HubSpotLedger } from './observe/hubspot-ledger.js';
import { idleProbe, waitUntilIdle, describeIdle, type IdleCheck, type IdleProbe } from './observe/idle.js';
import type { InboundContext } from './scenarios/inbound.js';

/** What the scenarios send webhooks to on one system: the bridge, the engine baseline and its shapes, the naive one. */
export function targetsOf(system: LocalSystem, baselines: Baselines, ledger: HubSpotLedger): InboundContext['targets'] {
  const bridge: Target = {
    name: 'bridge',
    origin: system.urls.api,
    completions: ledgerCompletions(ledger),
    processes: () => ({ api: system.pid('api'), worker: system.pid('worker') }),
  };
  const bare: Target = {
    name: 'bare',
    origin: baselines.bareApiUrl,
    path: '/webhook',
    completions: bareCompletions(baselines.bareWorkerUrl),
    processes: () => ({ api: baselines.pid('bare-api'), worker: baselines.pid('bare-worker') }),
  };
  // Its own completions reader: each reader keeps its own position in the bare worker's list.
  const bareLocal: Target = {
    ...bare,
    name: 'bareLocal',
    path: '/webhook?localActivity=1',
    completions: bareCompletions(baselines.bareWorkerUrl),
  };
  const naive: Target = {
    name: 'naive',
    origin: baselines.naiveUrl,
    path: '/webhook',
    completions: ledgerCompletions(ledger),
    processes: () => ({ api: baselines.pid('naive') }),
  };
  return { bridge, bare, bareLocal, naive };
}

export function accountsOf(system: LocalSystem): InboundContext['accounts'] {
  return {
    generic: system.account('generic'),
    telegram: system.account('telegram'),
    whatsapp: system.account('whatsapp'),
  };
}

/** Reads a bench system's idleness: its Temporal namespace, the bridge's and the baseline's queues, its store. */
export const probeSystem = (system: LocalSystem, dataDir: string): Promise<IdleProbe> =>
  idleProbe({
    temporalAddress: system.temporalAddress,
    taskQueues: [BRIDGE_TASK_QUEUE, BARE_TASK_QUEUE],
    storeFile: path.join(dataDir, 'bridge.sqlite'),
  });

/** A `settle(label)` that waits until the system is idle (bounded), records the check in `checks` and logs it. */
export function settler(probe: IdleProbe, checks: IdleCheck[], timeoutMs: number, log: (line: string) => void) {
  return async (label: string): Promise<void> => {
    const check = await waitUntilIdle(probe, label, timeoutMs);
    checks.push(check);
    log(`before ${label}: ${describeIdle(check)}`);
  };
}
