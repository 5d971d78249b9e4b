import { hubspotFault } from '../faults.js';
import type { ChaosContext, Scenario } from '../scenario.js';
import { cutOffCalls } from './evidence.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * kill -9 of the worker while uploads (slowed to 2.5 s by HubSpot latency) and publishes are in flight; started again 3
 * s later (2.5 s counting what was cut off).
 */
export const workerKill: Scenario = {
  name: 'worker-kill',
  title: 'kill -9 of the worker mid-upload and mid-publish',
  photoShare: 0.4,
  async inject({ world, system, traffic, size, note }: ChaosContext) {
    await hubspotFault(world, { kind: 'latency', latencyMs: 2_500, pathContains: '/files/v3/files', method: 'POST' });
    await hubspotFault(world, { kind: 'latency', latencyMs: 600, pathContains: '/messages', method: 'POST' });
    note('HubSpot latency: uploads 2.5 s, publishes 0.6 s');
    let startedAt = Date.now();
    // A cut-off upload is retried after its heartbeat timeout (1 min): the short run kills twice, early enough.
    for (const share of size.conversations >= 30 ? [0.2, 0.5, 0.8] : [0.2, 0.5]) {
      await traffic.reached(share);
      await sleep(startedAt + 5_000 - Date.now()); // a worker that just started has nothing in flight yet
      const killedAt = Date.now();
      await system.kill('worker');
      const cut = await cutOffCalls(world, killedAt);
      note(`kill -9 worker at ${Math.round(share * 100)} % of the traffic; HubSpot calls it had in flight: ${cut}`);
      await sleep(500);
      await system.start('worker');
      startedAt = Date.now();
      note('worker started again');
    }
  },
};
