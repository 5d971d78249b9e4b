import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runScenario, type ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';
import { SMALL_TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { longHold } from '../../packages/dev-tools/chaos/scenarios/long-hold.js';
import { assertHolds, CHAOS_TEST_DIR, summary } from './holds.js';

describe(
  'chaos: an account turned off for most of the run while its customers and reps keep writing',
  { timeout: 330_000 },
  () => {
    let result: ScenarioResult;
    before(async () => {
      result = await runScenario(longHold, SMALL_TEST_SIZE, {
        workDir: CHAOS_TEST_DIR,
        workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      });
    });

    it('holds its messages, then flushes each conversation once and in send order (counted from the sandboxes)', (t) => {
      for (const line of summary(result)) t.diagnostic(line);
      assert.ok((result.measures?.heldWhenTurnedOn ?? 0) > 0, 'messages were held when the account came back');
      assertHolds(result);
    });
  },
);
