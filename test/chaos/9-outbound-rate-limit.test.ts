import { before, describe, it } from 'node:test';
import { runScenario, type ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';
import { SMALL_TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { outboundRateLimit } from '../../packages/dev-tools/chaos/scenarios/outbound-rate-limit.js';
import { assertHolds, CHAOS_TEST_DIR, summary } from './holds.js';

describe("chaos: outbound-heavy traffic under HubSpot's rate limit (100 calls per 10 s)", { timeout: 330_000 }, () => {
  let result: ScenarioResult;
  before(async () => {
    result = await runScenario(outboundRateLimit, SMALL_TEST_SIZE, {
      workDir: CHAOS_TEST_DIR,
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
  });

  it('delivers every reply once and in order with a true status, and every customer message (counted from the sandboxes)', (t) => {
    for (const line of summary(result)) t.diagnostic(line);
    assertHolds(result);
  });
});
