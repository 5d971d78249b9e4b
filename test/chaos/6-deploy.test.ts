import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runScenario, type ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';
import { deploy, deployUnavailable } from '../../packages/dev-tools/chaos/scenarios/deploy.js';
import { SMALL_TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { assertHolds, CHAOS_TEST_DIR, summary } from './holds.js';

const unavailable = deployUnavailable();

describe(
  'chaos: a deploy of the new workflow code mid-traffic, over messages held on the previous version',
  { skip: unavailable ? `needs the previous workflow version from git: ${unavailable}` : false, timeout: 330_000 },
  () => {
    let result: ScenarioResult;
    before(async () => {
      result = await runScenario(deploy, SMALL_TEST_SIZE, {
        workDir: CHAOS_TEST_DIR,
        workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      });
    });

    it('finishes every message held on the old code on the new: nothing lost, duplicated or reordered (counted from the sandboxes)', (t) => {
      for (const line of summary(result)) t.diagnostic(line);
      assert.ok(
        result.events.some((e) => /deploying with [1-9]\d* messages HELD/.test(e)),
        'messages were held on the old code when it was replaced',
      );
      assertHolds(result);
    });
  },
);
