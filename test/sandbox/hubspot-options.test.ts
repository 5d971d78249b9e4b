import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOptions, sandboxOptionsFromEnv } from '../../packages/sandbox/src/hubspot/options.js';

describe('HubSpot sandbox options', () => {
  it("defaults to HubSpot's numbers", () => {
    assert.deepEqual(resolveOptions({}), {
      accessTokenLifetimeSeconds: 1800,
      rateLimit: { max: 100, intervalMs: 10_000 },
      webhookRetry: { maxRetries: 10, firstDelayMs: 60_000, timeoutMs: 10_000 },
      closedThreadPolicy: 'new-thread',
      maxFileBytes: 20_000_000,
      latencyMs: 0,
    });
  });

  it('reads overrides from an environment map, leaving the rest at their defaults', () => {
    const options = resolveOptions(
      sandboxOptionsFromEnv({
        SANDBOX_HUBSPOT_WEBHOOK_FIRST_DELAY_MS: '50',
        SANDBOX_HUBSPOT_CLOSED_THREAD_POLICY: 'reopen',
        SANDBOX_HUBSPOT_RATE_LIMIT_MAX: '',
      }),
    );
    assert.equal(options.webhookRetry.firstDelayMs, 50);
    assert.equal(options.webhookRetry.maxRetries, 10);
    assert.equal(options.closedThreadPolicy, 'reopen');
    assert.equal(options.rateLimit.max, 100);
    assert.equal(resolveOptions(sandboxOptionsFromEnv({ SANDBOX_HUBSPOT_LATENCY_MS: '25' })).latencyMs, 25);
    assert.equal(resolveOptions(sandboxOptionsFromEnv({ SANDBOX_HUBSPOT_LATENCY_MS: '0' })).latencyMs, 0);
  });

  it('names the variable that holds a bad value', () => {
    assert.throws(
      () => sandboxOptionsFromEnv({ SANDBOX_HUBSPOT_RATE_LIMIT_MAX: 'lots' }),
      /SANDBOX_HUBSPOT_RATE_LIMIT_MAX must be an integer/,
    );
    assert.throws(
      () => sandboxOptionsFromEnv({ SANDBOX_HUBSPOT_CLOSED_THREAD_POLICY: 'merge' }),
      /SANDBOX_HUBSPOT_CLOSED_THREAD_POLICY/,
    );
    assert.throws(
      () => sandboxOptionsFromEnv({ SANDBOX_HUBSPOT_LATENCY_MS: '-5' }),
      /SANDBOX_HUBSPOT_LATENCY_MS must be an integer >= 0/,
    );
  });
});
