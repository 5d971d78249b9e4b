import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runScenario, type ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';
import { CATCH_UP_SECONDS, connectionPending } from '../../packages/dev-tools/chaos/scenarios/connection-pending.js';
import { SMALL_TEST_SIZE } from '../../packages/dev-tools/chaos/scenarios/index.js';
import { assertHolds, CHAOS_TEST_DIR, summary } from './holds.js';

/**
 * A catch-up hold opened by the deliberate 503 holds every message accepted while the connection is pending until
 * CATCH_UP_SECONDS after the last refusal: before a38cba6 this run measured p50 59.7 s, max 60.6 s for them (0.9 s
 * for the rest). A busy machine adds latency too, but less (p50 up to 22 s seen with two systems on 2 cores).
 */
const OTHERS_P50_BOUND_MS = (CATCH_UP_SECONDS * 1000 * 2) / 3;

describe(
  "chaos: a new account's webhooks refused 503 (connection pending) while the others' traffic flows",
  { timeout: 330_000 },
  () => {
    let result: ScenarioResult;
    before(async () => {
      result = await runScenario(connectionPending, SMALL_TEST_SIZE, {
        workDir: CHAOS_TEST_DIR,
        workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      });
    });

    it("delays nobody else, and publishes the new account's messages once each and in order once HubSpot created it", (t) => {
      for (const line of summary(result)) t.diagnostic(line);
      const m = result.measures ?? {};
      assert.ok((m.pendingRefusals ?? 0) > 0, "the new bot's updates met the deliberate 503");
      assert.deepEqual(
        [m.latePublished, m.lateDuplicated, m.lateOutOfOrder],
        [m.lateSent, 0, 0],
        "the new account's messages: all, once, in order",
      );
      assert.ok((m.duringCount ?? 0) > 0, 'others wrote while the connection was pending');
      assert.ok(
        (m.duringP50Ms ?? Infinity) < OTHERS_P50_BOUND_MS,
        `others not held while it was pending: p50 ${m.duringP50Ms} ms, max ${m.duringMaxMs} ms (a catch-up hold makes it about ${CATCH_UP_SECONDS} s)`,
      );
      assertHolds(result);
    });
  },
);
