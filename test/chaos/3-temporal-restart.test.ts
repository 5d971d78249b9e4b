import { before, describe, it } from 'node:test';
import { runScenario, type ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';
import { TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { temporalRestart } from '../../packages/dev-tools/chaos/scenarios/temporal-restart.js';
import { assertHolds, CHAOS_TEST_DIR, summary } from './holds.js';

describe('chaos: a restart of the Temporal dev server on its database (down 8 s)', { timeout: 330_000 }, () => {
  let result: ScenarioResult;
  before(async () => {
    result = await runScenario(temporalRestart, TEST_SIZE, {
      workDir: CHAOS_TEST_DIR,
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
  });

  it("loses and duplicates nothing, in both directions, and keeps each conversation in send order even where the senders' retries overtook each other (counted from the sandboxes)", (t) => {
    for (const line of summary(result)) t.diagnostic(line);
    assertHolds(result);
  });
});
