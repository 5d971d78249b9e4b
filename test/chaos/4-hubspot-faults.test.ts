import { describe, it } from 'node:test';
import { runScenario } from '../../packages/dev-tools/chaos/scenario.js';
import { TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { hubspotFaults } from '../../packages/dev-tools/chaos/scenarios/hubspot-faults.js';
import { assertHolds, CHAOS_TEST_DIR, summary } from './holds.js';

describe(
  'chaos: HubSpot failing a share of calls with 5xx, 429 and timeouts after accepting, and down for a stretch',
  { timeout: 330_000 },
  () => {
    it('loses, duplicates and reorders nothing; the 3 publishes HubSpot refused end FAILED with its reason', async (t) => {
      const result = await runScenario(hubspotFaults, TEST_SIZE, {
        workDir: CHAOS_TEST_DIR,
        workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      });
      for (const line of summary(result)) t.diagnostic(line);
      assertHolds(result, { inboundFailed: 3, reason: /HubSpot answered 400/ });
    });
  },
);
