import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore } from '../helpers/store-backends.js';

// A minute boundary, so the test says which minute each call falls in.
const T = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

describeEachStore('HubSpot call activity per portal', 'call_activity', (open) => {
  it('counts the slots taken per minute, not the refused ones, and a hold as a 429', async () => {
    const store = await open();
    for (const at of [T, T + 1_000, T + 61_000]) assert.equal(await store.takeCallSlot('hubspot:a', 3, 10_000, at), 0);
    assert.ok((await store.takeCallSlot('hubspot:a', 1, 10_000, T + 62_000)) > 0, 'a full window lets nothing through');
    await store.holdCalls('hubspot:a', T + 70_000, T + 62_500);
    const [a] = await store.readCallActivity(T, 10_000, T + 63_000);
    assert.deepEqual(a, { key: 'hubspot:a', calls: 3, rateLimited: 1, inWindow: 1, heldUntilMs: T + 70_000 });
    const [second] = await store.readCallActivity(T + 60_000, 10_000, T + 63_000);
    assert.equal(second?.calls, 1, 'only the minute that overlaps the since time and after');
    assert.equal(second?.rateLimited, 1);
  });

  it('answers per portal, leaving out a portal with nothing to show and a hold that has passed', async () => {
    const store = await open();
    for (let i = 0; i < 4; i += 1) await store.takeCallSlot('hubspot:busy', 100, 10_000, T + i * 1_000);
    await store.takeCallSlot('hubspot:quiet', 100, 10_000, T);
    await store.takeCallSlot('hubspot:old', 100, 10_000, T - 10 * 60_000);
    await store.holdCalls('hubspot:quiet', T + 2_000, T);
    const now = T + 11_500; // the window (10 s) holds the busy portal's last two slots; the quiet portal's hold is over
    assert.deepEqual(await store.readCallActivity(T - 60_000, 10_000, now), [
      { key: 'hubspot:busy', calls: 4, rateLimited: 0, inWindow: 2 },
      { key: 'hubspot:quiet', calls: 1, rateLimited: 1, inWindow: 0 },
    ]);
  });

  it('drops counts older than a day when a new minute starts', async () => {
    const store = await open();
    await store.takeCallSlot('hubspot:a', 100, 10_000, T);
    await store.takeCallSlot('hubspot:a', 100, 10_000, T + 60_000);
    const dayLater = T + 24 * 60 * 60_000 + 30_000;
    assert.equal((await store.readCallActivity(T, 10_000, dayLater))[0]?.calls, 2, 'kept until a new minute starts');
    await store.takeCallSlot('hubspot:b', 100, 10_000, dayLater);
    const left = await store.readCallActivity(T, 10_000, dayLater);
    assert.deepEqual(
      left.map((p) => [p.key, p.calls]),
      [
        ['hubspot:a', 1],
        ['hubspot:b', 1],
      ],
      'the first minute is gone, the next kept',
    );
  });
});
