import assert from 'node:assert/strict';
import { it } from 'node:test';
import { accountHoldKey, EVERYONE_HOLD_KEY, type LineTurn } from '../../packages/bridge/src/store/sequencer-types.js';
import { describeEachStore } from '../helpers/store-backends.js';

/** docs/ORDERING.md, "The lines" and "Catch-up": the store's half of the sequencer, on both backends. */
const NOW = Date.parse('2026-12-06T12:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();
const turn = (lineKey: string, messageKey: string, sentSecond: number, accountId = 'acct-1'): LineTurn => ({
  lineKey,
  messageKey,
  orderAt: at(sentSecond),
  accountId,
});

describeEachStore("the sequencer's lines", 'sequencer', (open) => {
  it('gives the turn to the earliest written message of a line, whatever order they were queued in, and hands it on when it finishes', async () => {
    const store = await open();
    const line = 'acct-1:chat-1';
    await store.queueTurn(turn(line, 'second', 2), NOW);
    await store.queueTurn(turn(line, 'first', 1), NOW + 5);
    assert.deepEqual(
      await store.claimTurn(turn(line, 'second', 2), NOW + 10),
      { granted: false },
      'an earlier message is waiting',
    );
    assert.deepEqual(await store.claimTurn(turn(line, 'first', 1), NOW + 10), { granted: true });
    assert.deepEqual(
      await store.claimTurn(turn(line, 'first', 1), NOW + 11),
      { granted: true },
      'the holder claiming again keeps it',
    );
    assert.equal(await store.finishTurn(line, 'first'), 'second', 'the next in line is named, to be woken');
    assert.deepEqual(await store.claimTurn(turn(line, 'second', 2), NOW + 12), { granted: true });
    assert.equal(await store.finishTurn(line, 'second'), undefined);
  });

  it('takes a message whose workflow ended out of its line, but leaves one whose start is still to be made in its place', async () => {
    const store = await open();
    const line = 'acct-1:chat-unstarted';
    await store.queueTurn(turn(line, 'ahead', 1), NOW);
    await store.queueTurn(turn(line, 'unstarted', 2), NOW, '{"kept":true}');
    await store.queueTurn(turn(line, 'last', 3), NOW);
    assert.deepEqual(await store.claimTurn(turn(line, 'ahead', 1), NOW), { granted: true });
    assert.equal(await store.finishTurn(line, 'ahead'), 'unstarted');
    assert.equal(await store.takeOutOfLine(line, 'unstarted'), undefined, 'its start is kept: it stays');
    assert.deepEqual(
      (await store.unstartedTurns(NOW + 1, 10)).map((t) => t.messageKey),
      ['unstarted'],
      'with its start, for the sweeper',
    );
    assert.deepEqual(await store.claimTurn(turn(line, 'last', 3), NOW + 1), { granted: false }, 'first in line still');
    await store.forgetPendingStart('unstarted');
    assert.equal(await store.takeOutOfLine(line, 'unstarted'), 'last', 'once its start was made and it ended: out');
    assert.deepEqual(await store.claimTurn(turn(line, 'last', 3), NOW + 2), { granted: true });
  });

  it('keeps lines apart: a conversation never waits on another, and its replies never wait on its customer messages', async () => {
    const store = await open();
    await store.claimTurn(turn('acct-1:chat-1', 'busy', 1), NOW);
    assert.deepEqual(await store.claimTurn(turn('acct-1:chat-2', 'other-chat', 2), NOW), { granted: true });
    assert.deepEqual(await store.claimTurn(turn('reply:acct-1:chat-1', 'reply', 3), NOW), { granted: true });
  });

  it('holds new claims in a line under catch-up until the hold ends, and only that line', async () => {
    const store = await open();
    const held = 'acct-1:refused-chat';
    await store.holdLines([held], NOW + 30_000, NOW);
    // Holds are compared with the claim's clock.
    assert.deepEqual(await store.claimTurn(turn(held, 'm2', 2), NOW + 1_000), {
      granted: false,
      holdUntilMs: NOW + 30_000,
    });
    assert.deepEqual(
      await store.claimTurn(turn('acct-1:calm-chat', 'calm', 2), NOW + 1_000),
      { granted: true },
      'another line is not held',
    );
    // The straggler arrives during the hold; when the hold ends, the earliest written goes first.
    await store.queueTurn(turn(held, 'm1', 1), NOW + 5_000);
    assert.deepEqual(await store.claimTurn(turn(held, 'm2', 2), NOW + 30_001), { granted: false });
    assert.deepEqual(await store.claimTurn(turn(held, 'm1', 1), NOW + 30_001), { granted: true });
  });

  it('lets the holder of a turn finish through a catch-up', async () => {
    const store = await open();
    const line = 'acct-1:chat-9';
    assert.deepEqual(await store.claimTurn(turn(line, 'holder', 1), NOW), { granted: true });
    await store.holdLines([line], NOW + 30_000, NOW);
    assert.deepEqual(await store.claimTurn(turn(line, 'holder', 1), NOW + 1), { granted: true });
  });

  it("covers every line of an account with the account's hold, and every line with everyone's, never shortening a hold", async () => {
    const store = await open();
    await store.holdLines([accountHoldKey('acct-2')], NOW + 20_000, NOW);
    await store.holdLines([accountHoldKey('acct-2')], NOW + 10_000, NOW);
    assert.deepEqual(
      await store.claimTurn(turn('acct-2:a', 'x', 1, 'acct-2'), NOW),
      { granted: false, holdUntilMs: NOW + 20_000 },
      'a shorter hold does not shorten it',
    );
    assert.deepEqual(await store.claimTurn(turn('reply:acct-2:a', 'y', 1, 'acct-2'), NOW), {
      granted: false,
      holdUntilMs: NOW + 20_000,
    });
    assert.deepEqual(
      await store.claimTurn(turn('acct-3:a', 'z', 1, 'acct-3'), NOW),
      { granted: true },
      'another account is not held',
    );
    await store.holdLines([EVERYONE_HOLD_KEY], NOW + 40_000, NOW);
    assert.deepEqual(await store.claimTurn(turn('acct-4:a', 'w', 1, 'acct-4'), NOW), {
      granted: false,
      holdUntilMs: NOW + 40_000,
    });
    assert.deepEqual(
      await store.claimTurn(turn('acct-4:a', 'w', 1, 'acct-4'), NOW + 40_000),
      { granted: true },
      'an ended hold holds nothing',
    );
  });

  it('shares the lines with runs started before the sequencer (the inbound-named turns are the same lines)', async () => {
    const store = await open();
    const line = 'acct-1:shared';
    assert.equal(
      await store.claimInboundTurn({ conversationKey: line, messageKey: 'old-run', sentAt: at(1) }, NOW),
      true,
    );
    assert.deepEqual(await store.claimTurn(turn(line, 'new-run', 2), NOW), { granted: false });
    assert.equal(await store.finishInboundTurn(line, 'old-run'), 'new-run');
    assert.deepEqual(await store.claimTurn(turn(line, 'new-run', 2), NOW), { granted: true });
  });

  it('wakes nobody for a message waiting inside its step until its mark passes; its unmarked claim makes it wake-able again', async () => {
    const store = await open();
    const line = 'acct-1:in-step';
    await store.claimTurn(turn(line, 'ahead', 1), NOW);
    assert.deepEqual(await store.claimTurn(turn(line, 'polling', 2), NOW, NOW + 2_000), {
      granted: false,
      inStep: true,
    });
    assert.equal(await store.finishTurn(line, 'ahead', NOW + 100), undefined, 'it takes the turn itself');
    assert.deepEqual(await store.claimTurn(turn(line, 'polling', 2), NOW + 120, NOW + 2_000), { granted: true });

    await store.queueTurn(turn(line, 'late', 3), NOW + 130);
    assert.deepEqual(await store.claimTurn(turn(line, 'late', 3), NOW + 140, NOW + 2_000), {
      granted: false,
      inStep: true,
    });
    assert.deepEqual(
      await store.claimTurn(turn(line, 'late', 3), NOW + 2_000),
      { granted: false },
      'its wait in the step is over: this claim unmarks it',
    );
    assert.equal(await store.finishTurn(line, 'polling', NOW + 2_010), 'late', 'so it is woken');

    await store.queueTurn(turn(line, 'crashed', 4), NOW + 2_020);
    await store.claimTurn(turn(line, 'late', 3), NOW + 2_030);
    assert.deepEqual(await store.claimTurn(turn(line, 'crashed', 4), NOW + 2_040, NOW + 4_000), {
      granted: false,
      inStep: true,
    });
    assert.equal(
      await store.finishTurn(line, 'late', NOW + 4_001),
      'crashed',
      'a mark that has passed (its step died waiting) no longer keeps it from being woken',
    );
  });

  it('marks only the message next in line as waiting in its step: one further back cannot get the turn within the wait, so it is woken durably', async () => {
    const store = await open();
    const line = 'acct-1:backlog';
    await store.claimTurn(turn(line, 'ahead', 1), NOW);
    await store.queueTurn(turn(line, 'next', 2), NOW);
    assert.deepEqual(
      await store.claimTurn(turn(line, 'further', 3), NOW + 10, NOW + 2_000),
      { granted: false },
      'not marked: it waits durably',
    );
    assert.deepEqual(await store.claimTurn(turn(line, 'next', 2), NOW + 20, NOW + 2_000), {
      granted: false,
      inStep: true,
    });
    assert.equal(await store.finishTurn(line, 'ahead', NOW + 30), undefined, 'the next one takes the turn itself');
    assert.deepEqual(await store.claimTurn(turn(line, 'next', 2), NOW + 40, NOW + 2_000), { granted: true });
    assert.equal(await store.finishTurn(line, 'next', NOW + 50), 'further', 'the one further back is woken');
  });
});
