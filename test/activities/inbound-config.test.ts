import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../packages/bridge/src/config.js';

const base = {
  BRIDGE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  HUBSPOT_CLIENT_ID: 'client-id',
  HUBSPOT_CLIENT_SECRET: 'client-secret',
  HUBSPOT_CHANNEL_ID: '123',
  BRIDGE_PUBLIC_URL: 'https://bridge.example.com',
};

describe('inbound configuration', () => {
  it('defaults to integration threads that restart after a close, trusted open for 60 s, 20 MB media and a 7-day hold', () => {
    const { inbound } = loadConfig(base);
    assert.deepEqual(inbound, {
      threads: {
        model: 'INTEGRATION_THREAD_ID',
        newThreadWhenClosed: true,
        statusFreshMs: 60_000,
        newThreadAfterIdleMs: undefined,
      },
      maxMediaBytes: 20_000_000,
      holdLimitMs: 7 * 24 * 3_600_000,
    });
  });

  it('reads the thread policy, media limit and hold limit from the environment', () => {
    const { inbound } = loadConfig({
      ...base,
      INBOUND_THREADING_MODEL: 'DELIVERY_IDENTIFIER',
      INBOUND_NEW_THREAD_WHEN_CLOSED: 'false',
      INBOUND_THREAD_STATUS_FRESH_SECONDS: '0',
      INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES: '90',
      INBOUND_MAX_MEDIA_BYTES: '1000',
      INBOUND_HOLD_LIMIT_HOURS: '2',
    });
    assert.deepEqual(inbound, {
      threads: {
        model: 'DELIVERY_IDENTIFIER',
        newThreadWhenClosed: false,
        statusFreshMs: 0,
        newThreadAfterIdleMs: 90 * 60_000,
      },
      maxMediaBytes: 1000,
      holdLimitMs: 2 * 3_600_000,
    });
  });

  it('refuses a negative or non-numeric thread status window', () => {
    for (const value of ['-1', 'soon'])
      assert.throws(
        () => loadConfig({ ...base, INBOUND_THREAD_STATUS_FRESH_SECONDS: value }),
        (error: ConfigError) => {
          assert.match(error.message, /INBOUND_THREAD_STATUS_FRESH_SECONDS must be/);
          return true;
        },
      );
  });

  it('names a bad threading model', () => {
    assert.throws(
      () => loadConfig({ ...base, INBOUND_THREADING_MODEL: 'THREADS' }),
      (error: ConfigError) => {
        assert.match(error.message, /INBOUND_THREADING_MODEL must be INTEGRATION_THREAD_ID or DELIVERY_IDENTIFIER/);
        return true;
      },
    );
  });
});
