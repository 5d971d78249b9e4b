import { describe, it } from 'node:test';
import { runScenario } from '../../packages/dev-tools/chaos/scenario.js';
import { TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { providerFaults } from '../../packages/dev-tools/chaos/scenarios/provider-faults.js';
import { assertHolds, CHAOS_TEST_DIR, summary } from './holds.js';

describe('chaos: providers failing sends, and webhook storms duplicated and out of order', { timeout: 330_000 }, () => {
  it('loses, duplicates and reorders nothing; the 3 replies to a blocked bot end FAILED with the reason', async (t) => {
    const result = await runScenario(providerFaults, TEST_SIZE, {
      workDir: CHAOS_TEST_DIR,
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
    for (const line of summary(result)) t.diagnostic(line);
    assertHolds(result, { outboundFailed: 3, reason: /blocked the bot/ });
  });
});
