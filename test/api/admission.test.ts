import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../helpers/manual-clock.js';
import { Admission } from '../../packages/bridge/src/api/admission.js';

/** src/api/admission.ts: when new webhook work is refused, read from the webhooks already in flight. */
describe('admission of webhooks', () => {
  const clock = () => manualClock(1_000_000);

  it('lets webhooks in while those in flight move, and refuses once they have waited about the bound', () => {
    const time = clock();
    const admission = new Admission({ shedAfterMs: 1_000, now: time.read });
    const done = Array.from({ length: 10 }, () => {
      const release = admission.enter();
      time.now += 100;
      return release;
    });
    // Ages 1000, 900 … 100 ms: the median (500 ms) says a newcomer would wait about 1000 ms, the bound itself.
    assert.equal(admission.expectedWaitMs(), 1_000);
    assert.equal(admission.refusal(), undefined);
    time.now += 50;
    assert.match(admission.refusal() ?? '', /webhooks in flight have waited about 1100 ms/);
    // The older half answered: the backlog is gone and the door opens again.
    for (const release of done.slice(0, 6)) release();
    assert.equal(admission.size, 4);
    assert.equal(admission.refusal(), undefined);
  });

  it('sheds nobody for one straggler while the rest flow', () => {
    const time = clock();
    const admission = new Admission({ shedAfterMs: 1_000, now: time.read });
    admission.enter(); // a large inline file, or one slow call
    time.now += 4_000;
    assert.equal(admission.refusal(), undefined, 'one in flight: a newcomer is not behind it');
    const next = admission.enter();
    time.now += 20;
    assert.equal(admission.refusal(), undefined, 'the straggler and one moving webhook');
    next();
    assert.equal(admission.refusal(), undefined);
  });

  it('refuses past the most webhooks in flight however young they are', () => {
    const admission = new Admission({ shedAfterMs: 1_000, maxInFlight: 3, now: () => 0 });
    for (let i = 0; i < 3; i++) {
      assert.equal(admission.refusal(), undefined);
      admission.enter();
    }
    assert.equal(admission.refusal(), '3 webhooks are in flight');
  });

  it('never refuses when shedding is off (0)', () => {
    const time = clock();
    const admission = new Admission({ shedAfterMs: 0, maxInFlight: 1, now: time.read });
    admission.enter();
    admission.enter();
    time.now += 60_000;
    assert.equal(admission.refusal(), undefined);
  });

  it('counts a webhook once however often its release is called', () => {
    const admission = new Admission({ shedAfterMs: 1_000 });
    const release = admission.enter();
    admission.enter();
    release();
    release();
    assert.equal(admission.size, 1);
  });
});
