import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentileCurve, perSecond, summarise } from '../../packages/dev-tools/bench/stats.js';

describe('bench statistics', () => {
  it('gives percentiles within 0.1 % and never above the exact max', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i + 1) / 10); // 0.1 … 1000 ms
    const s = summarise(values)!;
    assert.equal(s.count, 10_000);
    assert.ok(Math.abs(s.p50 - 500) <= 0.6, `p50 ${s.p50}`);
    assert.ok(Math.abs(s.p99 - 990) <= 1.1, `p99 ${s.p99}`);
    assert.equal(s.max, 1000);
    assert.equal(s.mean, 500.1);
    assert.ok(s.p50 <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.max);
  });

  it('has nothing to say about no values', () => {
    assert.equal(summarise([]), undefined);
    assert.deepEqual(percentileCurve([]), []);
  });

  it('keeps sub-millisecond latencies', () => {
    assert.equal(summarise([0.25, 0.25, 0.25])!.p50, 0.3);
  });

  it('counts events per second from a start, ignoring those outside the window', () => {
    assert.deepEqual(perSecond([1000, 1500, 1999, 2000, 4500, 999, 9000], 1000, 4), [3, 1, 0, 1]);
  });

  it('draws a percentile curve that never goes down', () => {
    const curve = percentileCurve([5, 1, 3, 2, 4, 100]);
    assert.equal(curve[0]!.ms, 1);
    assert.equal(curve.at(-1)!.ms, 100);
    for (let i = 1; i < curve.length; i++) assert.ok(curve[i]!.ms >= curve[i - 1]!.ms);
  });
});
