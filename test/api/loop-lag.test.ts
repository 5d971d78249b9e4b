import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../helpers/manual-clock.js';
import { LoopLag } from '../../packages/bridge/src/api/loop-lag.js';

/** src/api/loop-lag.ts: how late the event loop runs, read from a timer that should check in every 20 ms. */
describe('the event loop lag', () => {
  const clock = () => manualClock(1_000);

  it('reads 0 while the checks come on time', () => {
    const time = clock();
    const lag = new LoopLag(20, time.read);
    for (let i = 0; i < 5; i++) {
      time.now += 20;
      lag.checked();
      time.now += 5;
      assert.equal(lag.lateMs(), 0);
    }
  });

  it('reads 0 after one long task: the check after it is late, and the loop is on time again', () => {
    const time = clock();
    const lag = new LoopLag(20, time.read);
    time.now += 20 + 150; // a large body parsed, or a pause for garbage
    lag.checked();
    time.now += 10;
    assert.equal(lag.lateMs(), 0, 'the next check is not due yet');
  });

  it('reads the wait while every check is late: a queue in front of the loop', () => {
    const time = clock();
    const lag = new LoopLag(20, time.read);
    time.now += 20 + 150;
    lag.checked();
    time.now += 20 + 120; // this turn of the loop has run 120 ms past the next check
    assert.equal(lag.lateMs(), 120);
    time.now += 100;
    assert.equal(lag.lateMs(), 150, 'no more than the last check saw');
  });

  it('sees a real loop kept busy past two checks', async () => {
    const lag = new LoopLag(10);
    const stop = lag.start();
    try {
      const busy = (ms: number) => {
        const until = performance.now() + ms;
        while (performance.now() < until);
      };
      busy(120);
      await new Promise((resolve) => setImmediate(resolve)); // the timer runs, 110 ms late
      await new Promise((resolve) => setTimeout(resolve, 0));
      busy(120);
      assert.ok(lag.lateMs() >= 80, `read ${lag.lateMs()} ms`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.ok(lag.lateMs() < 50, `idle again, read ${lag.lateMs()} ms`);
    } finally {
      stop();
    }
  });
});
