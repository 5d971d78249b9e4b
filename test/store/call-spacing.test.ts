import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { describeEachStore } from '../helpers/store-backends.js';

/**
 * src/activities/rate-limit.ts, "spaced": past a share of the window's budget, a portal's calls come one per gap on a
 * schedule the store keeps, so a backlog's bursts are not repeated window after window.
 */
const T = 1_800_000_000_000;
const WINDOW = { max: 10, intervalMs: 10_000 };
const spacing = { fromCount: 3, gapMs: 100 };
const take = (store: Store, at: number) =>
  store.takeCallSlot('hubspot:spaced', WINDOW.max, WINDOW.intervalMs, at, spacing);

describeEachStore('HubSpot calls spaced past half the budget', 'call_spacing', (open) => {
  it('lets the first calls of a window through at once, then one per gap, each due a gap after the one before', async () => {
    const store = await open();
    for (let i = 0; i < 3; i += 1) assert.equal(await take(store, T), 0, `call ${i + 1} goes at once`);
    assert.equal(await take(store, T), 250, 'the fourth is due 300 ms on, and may come half a gap early');
    assert.equal(await take(store, T + 250), 0);
    assert.equal(
      await take(store, T + 260),
      90,
      'the next is due a gap after it (T + 400), half a gap early at the soonest',
    );
  });

  it('keeps its pace when callers wake a little late: the schedule moves on from when each call was due', async () => {
    const store = await open();
    for (let i = 0; i < 3; i += 1) await take(store, T);
    // Due at T + 300 (from T + 250); this caller comes 10 ms late, and the next call is still due at T + 400.
    assert.equal(await take(store, T + 310), 0);
    assert.equal(await take(store, T + 340), 10, 'due at T + 400, half a gap early at the soonest');
    assert.equal(await take(store, T + 350), 0);
  });

  it('after a quiet spell, lets at most two spaced calls go together, not a burst', async () => {
    const store = await open();
    for (let i = 0; i < 3; i += 1) await take(store, T);
    const later = T + 5_000; // the window still holds the three calls
    assert.equal(await take(store, later), 0);
    assert.equal(await take(store, later), 0, 'the schedule was behind: one more may catch up');
    assert.ok((await take(store, later)) > 0, 'then the gap applies again');
  });

  it('still lets no call through a full window, spaced or not', async () => {
    const store = await open();
    for (let i = 0; i < WINDOW.max; i += 1) assert.equal(await take(store, T + i * 1_000), 0);
    assert.equal(await take(store, T + 9_500), 500, 'the oldest slot frees at T + 10 s');
  });
});
