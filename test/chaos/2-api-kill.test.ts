import { before, describe, it } from 'node:test';
import { runScenario, type ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';
import { TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { apiKill } from '../../packages/dev-tools/chaos/scenarios/api-kill.js';
import { assertHolds, CHAOS_TEST_DIR, summary } from './holds.js';

describe('chaos: kill -9 of the api mid-request, with the senders redelivering', { timeout: 330_000 }, () => {
  let result: ScenarioResult;
  before(async () => {
    result = await runScenario(apiKill, TEST_SIZE, {
      workDir: CHAOS_TEST_DIR,
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
  });

  it("loses and duplicates nothing, in both directions, and keeps each conversation in send order even where the senders' retries overtook each other (counted from the sandboxes)", (t) => {
    for (const line of summary(result)) t.diagnostic(line);
    assertHolds(result);
  });
});
