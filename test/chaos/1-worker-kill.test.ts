import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runScenario, type ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';
import { TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { workerKill } from '../../packages/dev-tools/chaos/scenarios/worker-kill.js';
import { assertHolds, CHAOS_TEST_DIR, NO_IDEMPOTENCY_TODO, summary } from './holds.js';

describe('chaos: kill -9 of the worker mid-upload and mid-publish', { timeout: 330_000 }, () => {
  let result: ScenarioResult;
  before(async () => {
    result = await runScenario(workerKill, TEST_SIZE, {
      workDir: CHAOS_TEST_DIR,
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    });
  });

  it('loses and reorders nothing, publishes every customer message once, and cut off uploads and publishes (counted from the sandboxes)', (t) => {
    for (const line of summary(result)) t.diagnostic(line);
    assert.ok(
      result.events.some((e) => /in flight: [1-9]\d* uploads/.test(e)),
      'a kill cut off uploads in flight',
    );
    assertHolds(result, { resentAfterCrash: true });
  });

  it('delivers every reply once, also to providers with no idempotency key', { todo: NO_IDEMPOTENCY_TODO }, () => {
    assert.equal(result.outbound.duplicated, 0);
  });
});
