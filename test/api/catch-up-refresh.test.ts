import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatchUp } from '../../packages/bridge/src/api/catch-up.js';

/** src/api/catch-up.ts: a storm of refusals on one line (a shed burst) writes its hold once a refresh, not per 503. */
describe('catch-up holds under a refusal storm', () => {
  const recordingStore = () => {
    const writes: { keys: readonly string[]; until: number }[] = [];
    return {
      writes,
      store: {
        holdLines: async (keys: readonly string[], until: number) => void writes.push({ keys, until }),
        markApiAlive: async () => undefined,
        apiLastAlive: async () => undefined,
      },
    };
  };

  it('writes a line held a moment ago again only once its hold would end a refresh sooner than the new one', async () => {
    const time = { now: 1_000_000 };
    const { store, writes } = recordingStore();
    const catchUp = new CatchUp(30_000, store, undefined, () => time.now);
    await catchUp.hold(['a:1'], 'shed');
    time.now += 400;
    await catchUp.hold(['a:1'], 'shed');
    await catchUp.hold(['a:1', 'a:2'], 'shed');
    assert.deepEqual(
      writes.map((w) => w.keys),
      [['a:1'], ['a:2']],
      'a:1 already held nearly as long; a:2 is new',
    );
    time.now += 700;
    await catchUp.hold(['a:1'], 'shed');
    assert.deepEqual(writes.at(-1), { keys: ['a:1'], until: time.now + 30_000 }, 'refreshed to a full window');
  });

  it('still writes a hold the store refused, on the next refusal or flush', async () => {
    const time = { now: 1_000_000 };
    const { store, writes } = recordingStore();
    let down = true;
    const flaky = {
      ...store,
      holdLines: (keys: readonly string[], until: number) =>
        down ? Promise.reject(new Error('SQLITE_BUSY')) : store.holdLines(keys, until),
    };
    const catchUp = new CatchUp(30_000, flaky, undefined, () => time.now);
    await catchUp.hold(['b:1'], 'shed');
    down = false;
    time.now += 100;
    await catchUp.hold(['b:1'], 'shed');
    assert.equal(writes.length, 1, 'not remembered as written while the store refused it');
  });
});
