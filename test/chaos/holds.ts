import assert from 'node:assert/strict';
import path from 'node:path';
import type { ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';

/** Where the scenarios' systems keep their data during `npm test`. */
export const CHAOS_TEST_DIR = path.join(import.meta.dirname, '../../.tmp/chaos-test');

/**
 * The promise, checked on the sandboxes' ledgers: every planned message was sent, nothing lost, duplicated or
 * reordered, HubSpot's statuses true, and exactly the expected failures FAILED with a reason matching `reason`.
 */
export function assertHolds(
  result: ScenarioResult,
  expected: { inboundFailed?: number; outboundFailed?: number; reason?: RegExp; resentAfterCrash?: boolean } = {},
): void {
  const { size } = result;
  const table = JSON.stringify({ inbound: result.inbound, outbound: result.outbound, events: result.events }, null, 1);
  assert.equal(result.skipped, 0, `every planned message was sent: ${result.trafficErrors.join('; ')}`);
  assert.equal(result.inbound.sent, size.conversations * size.inboundPerConversation);
  assert.equal(result.outbound.sent, size.conversations * size.outboundPerConversation);
  for (const [direction, count] of [
    ['inbound', result.inbound],
    ['outbound', result.outbound],
  ] as const) {
    assert.equal(count.lost, 0, `${direction}: nothing lost\n${table}`);
    // A provider with no idempotency key may get a part again when the worker died mid-request (see
    // NO_IDEMPOTENCY_TODO).
    const resendable =
      direction === 'outbound' && expected.resentAfterCrash
        ? (count.duplicatedByProvider.telegram ?? 0) + (count.duplicatedByProvider.whatsapp ?? 0)
        : 0;
    assert.equal(count.duplicated - resendable, 0, `${direction}: nothing duplicated\n${table}`);
    // Also where the senders' retries overtook each other: the catch-up hold puts them back in send order
    // (src/api/catch-up.ts).
    assert.equal(
      count.outOfOrder,
      0,
      `${direction}: each conversation in send order (${count.outOfOrderBySender} delivered out of order by the sender)\n${table}`,
    );
    assert.equal(count.wrongStatus, 0, `${direction}: HubSpot shows the true status\n${table}`);
    assert.equal(
      count.published + count.failed,
      count.sent,
      `${direction}: every message published or FAILED\n${table}`,
    );
  }
  assert.equal(result.inbound.failed, expected.inboundFailed ?? 0, `inbound failures\n${table}`);
  assert.equal(result.outbound.failed, expected.outboundFailed ?? 0, `outbound failures\n${table}`);
  for (const reason of [...Object.keys(result.inbound.reasons), ...Object.keys(result.outbound.reasons)]) {
    assert.match(reason, expected.reason ?? /^$/, 'each failure carries the reason expected');
  }
}

/** What the scenario did and counted, for the test's diagnostics. */
export function summary(result: ScenarioResult): string[] {
  const count = (c: ScenarioResult['inbound']) =>
    `sent ${c.sent}, published ${c.published}, lost ${c.lost}, duplicated ${c.duplicated}, reached the bridge out of order ${c.arrivedOutOfOrder}, published out of order ${c.outOfOrder} (${c.outOfOrderBySender} as the sender delivered them), failed ${c.failed}`;
  const order = (c: ScenarioResult['inbound']) =>
    c.outOfOrder > 0
      ? [`  reordered: ${JSON.stringify(c.outOfOrderByProvider)}`, ...c.outOfOrderExamples.map((e) => `  ${e}`)]
      : [];
  const copies = (c: ScenarioResult['inbound']) =>
    c.duplicated > 0 ? [`  duplicated: ${JSON.stringify(c.duplicatedByProvider)}`] : [];
  const detail = (c: ScenarioResult['inbound']) => [...order(c), ...copies(c)];
  return [
    ...result.events,
    `inbound: ${count(result.inbound)}`,
    ...detail(result.inbound),
    `outbound: ${count(result.outbound)}`,
    ...detail(result.outbound),
  ];
}

/**
 * Why exactly-once to Telegram and WhatsApp is a TODO across a worker crash: neither takes an idempotency key, and a
 * worker killed while a send request is in flight cannot know whether the provider took it, so the retry sends it
 * again. Every other lost result (a Temporal restart, a timeout, a crash after the answer) is caught by the part
 * ledger (src/store/sqlite/outbound-parts.ts). docs/RELIABILITY.md, "Duplicates".
 */
export const NO_IDEMPOTENCY_TODO =
  'a part Telegram or WhatsApp took while the worker was killed mid-request is sent again (docs/RELIABILITY.md, "Duplicates")';
