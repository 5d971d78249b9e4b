import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryAfterSeconds } from '../../packages/bridge/src/providers/generic/retry-after.js';
import { backoffMs, DEFAULT_RETRY } from '../../packages/sandbox/src/generic/deliver.js';

describe('Retry-After and backoff', () => {
  const now = Date.parse('2026-05-01T10:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    assert.equal(retryAfterSeconds('120', now), 120);
    assert.equal(retryAfterSeconds(' 0 ', now), 0);
    assert.equal(retryAfterSeconds('Fri, 01 May 2026 10:00:30 GMT', now), 30);
    assert.equal(retryAfterSeconds('Fri, 01 May 2026 09:00:00 GMT', now), 0, 'a date in the past means now');
  });
  it('ignores what it cannot read', () => {
    assert.equal(retryAfterSeconds(null, now), undefined);
    assert.equal(retryAfterSeconds('', now), undefined);
    assert.equal(retryAfterSeconds('soon', now), undefined);
    assert.equal(retryAfterSeconds('-5', now), undefined);
  });
  it('backs off exponentially with bounded jitter, prefers Retry-After, and caps both', () => {
    for (let attempt = 1; attempt <= 4; attempt++) {
      const base = DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1);
      const wait = backoffMs(attempt, DEFAULT_RETRY);
      assert.ok(wait >= base && wait <= base * 1.5, `attempt ${attempt}: ${wait}`);
    }
    assert.equal(backoffMs(1, DEFAULT_RETRY, 7), 7000);
    assert.equal(backoffMs(1, DEFAULT_RETRY, 3600), DEFAULT_RETRY.maxDelayMs);
    assert.equal(backoffMs(30, DEFAULT_RETRY), DEFAULT_RETRY.maxDelayMs);
  });
});
