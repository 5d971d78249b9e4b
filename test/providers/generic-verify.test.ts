import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { signStandardWebhook, verifyStandardWebhook } from '../../packages/bridge/src/providers/generic/verify.js';

// The Standard Webhooks test vector published with its reference library ("sign function works" in
// https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/webhook.test.ts).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = new Date(VECTOR.timestamp * 1000);
const webhook = (overrides: Record<string, string | undefined> = {}, body = VECTOR.body) => ({
  headers: {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestamp),
    'webhook-signature': VECTOR.signature,
    ...overrides,
  },
  body: Buffer.from(body),
});

describe('Standard Webhooks signatures', () => {
  it('signs the published test vector', () => {
    assert.equal(signStandardWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body), VECTOR.signature);
  });

  it('agrees with the reference library on arbitrary bytes, including non-ASCII text', () => {
    const body = '{"text":"héllo 👋 — ünïcode"}';
    assert.equal(
      signStandardWebhook(VECTOR.secret, 'msg_1', VECTOR.timestamp, Buffer.from(body)),
      new Webhook(VECTOR.secret).sign('msg_1', at, body),
    );
  });

  it('accepts the test vector inside the time window', () => {
    assert.deepEqual(verifyStandardWebhook(VECTOR.secret, webhook(), at), { ok: true });
  });

  it('accepts any one matching signature among several (key rotation)', () => {
    const result = verifyStandardWebhook(
      VECTOR.secret,
      webhook({ 'webhook-signature': `v1,bm90LXRoaXMtb25l ${VECTOR.signature}` }),
      at,
    );
    assert.deepEqual(result, { ok: true });
  });

  it('refuses a body changed by one byte', () => {
    const result = verifyStandardWebhook(VECTOR.secret, webhook({}, '{"test": 2432232315}'), at);
    assert.deepEqual(result, { ok: false, reason: 'no webhook-signature matches the body' });
  });

  it('refuses a signature made with another secret', () => {
    const result = verifyStandardWebhook('whsec_' + Buffer.from('another secret').toString('base64'), webhook(), at);
    assert.equal(result.ok, false);
  });

  it('refuses a timestamp older than five minutes, and one from the future', () => {
    const stale = verifyStandardWebhook(VECTOR.secret, webhook(), new Date(at.getTime() + 301_000));
    const future = verifyStandardWebhook(VECTOR.secret, webhook(), new Date(at.getTime() - 301_000));
    assert.match(stale.ok ? '' : stale.reason, /window is 300s/);
    assert.match(future.ok ? '' : future.reason, /window is 300s/);
  });

  it('refuses missing headers, a non-numeric timestamp and an unknown signature version', () => {
    assert.equal(verifyStandardWebhook(VECTOR.secret, webhook({ 'webhook-signature': undefined }), at).ok, false);
    assert.equal(verifyStandardWebhook(VECTOR.secret, webhook({ 'webhook-id': undefined }), at).ok, false);
    const notNumeric = verifyStandardWebhook(VECTOR.secret, webhook({ 'webhook-timestamp': '16142x' }), at);
    assert.deepEqual(notNumeric, { ok: false, reason: 'webhook-timestamp must be unix seconds' });
    const v2 = verifyStandardWebhook(
      VECTOR.secret,
      webhook({ 'webhook-signature': VECTOR.signature.replace('v1,', 'v2,') }),
      at,
    );
    assert.equal(v2.ok, false);
  });
});
