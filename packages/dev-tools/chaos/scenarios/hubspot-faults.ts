import { hubspotFault, removeHubSpotFault, untilUsedUp } from '../faults.js';
import type { ChaosContext, Scenario } from '../scenario.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * HubSpot failing a share of every call (uploads, thread lookups, publishes, status writes): 5xx, 429, and calls
 * processed in full whose answer never comes back; then down for a stretch (every call 503); and three publishes
 * refused for good (400), which must end FAILED with HubSpot's words.
 */
export const hubspotFaults: Scenario = {
  name: 'hubspot-faults',
  title: 'HubSpot failing a share of calls (5xx, 429, timeout after accept), down for a stretch',
  photoShare: 0.2,
  async inject({ world, traffic, note }: ChaosContext) {
    // First and alone, so each refusal is a message's only answer: exactly 3 FAILED.
    await traffic.reached(0.05);
    const refusal = await hubspotFault(world, {
      kind: 'status',
      status: 400,
      pathContains: '/messages',
      method: 'POST',
      count: 3,
    });
    await untilUsedUp(world, refusal);
    note('3 publishes refused with 400');
    await traffic.reached(0.1);
    await hubspotFault(world, { kind: 'status', status: 502, share: 0.1 });
    await hubspotFault(world, { kind: 'rate-limit', share: 0.08 });
    await hubspotFault(world, { kind: 'timeout-after-accept', share: 0.08 });
    note('HubSpot: 10 % 502, 8 % 429, 8 % processed but the answer lost (of the calls left)');
    await traffic.reached(0.45);
    const down = await hubspotFault(world, { kind: 'status', status: 503 });
    note('HubSpot down: every call 503');
    await sleep(15_000);
    await removeHubSpotFault(world, down);
    note('HubSpot back (the share faults stay)');
  },
};
