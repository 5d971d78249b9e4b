import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LineTurn } from '../../packages/bridge/src/store/sequencer-types.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { describeEachStore } from '../helpers/store-backends.js';

/**
 * docs/INBOUND.md, "Answered before the start": a message's workflow start is kept with its place in line until the
 * workflow's first claim of its turn, so a start an api never made (it answered, then died) can be found and made.
 */
const NOW = Date.parse('2026-12-07T12:00:00Z');
const turn = (lineKey: string, messageKey: string, sentSecond: number): LineTurn => ({
  lineKey,
  messageKey,
  orderAt: new Date(NOW + sentSecond * 1000).toISOString(),
  accountId: 'acct-1',
});

/** Queues the message with its start kept beside its place, as an api does before it makes the start. */
async function queueKept(store: Store, queued: LineTurn, nowMs: number, pendingStart: string): Promise<void> {
  await store.queueTurn(queued, nowMs, pendingStart);
}

describeEachStore('starts kept with their places in line', 'start_outbox', (open) => {
  it('lists the places whose start is kept, queued before the cutoff, oldest first', async () => {
    const store = await open();
    await queueKept(store, turn('acct-1:a', 'late', 1), NOW + 2_000, '{"late":1}');
    await queueKept(store, turn('acct-1:b', 'early', 1), NOW, '{"early":1}');
    await store.queueTurn(turn('acct-1:c', 'no-start-kept', 1), NOW);
    await queueKept(store, turn('acct-1:d', 'too-recent', 1), NOW + 10_000, '{"recent":1}');
    assert.deepEqual(await store.unstartedTurns(NOW + 5_000, 10), [
      { lineKey: 'acct-1:b', messageKey: 'early', pendingStart: '{"early":1}', queuedMs: NOW },
      { lineKey: 'acct-1:a', messageKey: 'late', pendingStart: '{"late":1}', queuedMs: NOW + 2_000 },
    ]);
    assert.equal((await store.unstartedTurns(NOW + 5_000, 1)).length, 1, 'at most the limit');
  });

  it('keeps nothing for a place queued without a start', async () => {
    const store = await open();
    await store.queueTurn(turn('acct-1:a', 'plain', 1), NOW);
    assert.deepEqual(await store.unstartedTurns(NOW + 10, 10), []);
  });

  it('keeps the first start of a place: a redelivery queued again changes nothing', async () => {
    const store = await open();
    assert.equal(await store.queueTurn(turn('acct-1:a', 'once', 1), NOW, '{"first":1}'), true);
    assert.equal(await store.queueTurn(turn('acct-1:a', 'once', 1), NOW + 1, '{"again":1}'), false);
    assert.deepEqual(
      (await store.unstartedTurns(NOW + 10, 10)).map((t) => t.pendingStart),
      ['{"first":1}'],
    );
  });

  it("forgets a start at the workflow's first claim, whether it gets the turn or waits for it", async () => {
    const store = await open();
    await queueKept(store, turn('acct-1:a', 'first', 1), NOW, '{}');
    await queueKept(store, turn('acct-1:a', 'second', 2), NOW, '{}');
    await queueKept(store, turn('acct-1:a', 'third', 3), NOW, '{}');
    assert.deepEqual(await store.claimTurn(turn('acct-1:a', 'first', 1), NOW), { granted: true });
    assert.deepEqual(await store.claimTurn(turn('acct-1:a', 'third', 3), NOW), { granted: false });
    assert.deepEqual(await store.claimTurn(turn('acct-1:a', 'second', 2), NOW, NOW + 1_000), {
      granted: false,
      inStep: true,
    });
    assert.deepEqual(await store.unstartedTurns(NOW + 10, 10), []);
  });

  it('forgets a start when told the workflow runs, and with the place when it leaves the line', async () => {
    const store = await open();
    await queueKept(store, turn('acct-1:a', 'told', 1), NOW, '{}');
    await queueKept(store, turn('acct-1:b', 'left', 1), NOW, '{}');
    await store.forgetPendingStart('told');
    await store.finishTurn('acct-1:b', 'left', NOW);
    assert.deepEqual(await store.unstartedTurns(NOW + 10, 10), []);
    assert.deepEqual(
      await store.claimTurn(turn('acct-1:a', 'told', 1), NOW),
      { granted: true },
      'the place itself stays',
    );
  });
});
