import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  answerHandshake,
  signHubSignature,
  verifyHubSignature,
} from '../../packages/bridge/src/providers/whatsapp/verify.js';

// An X-Hub-Signature-256 vector, computed with node:crypto as Meta describes the header
// (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
const VECTOR = {
  secret: 'secret',
  body: 'test',
  signature: 'sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914',
};
const webhook = (signature: string | undefined, body = VECTOR.body) => ({
  headers: { 'x-hub-signature-256': signature },
  body: Buffer.from(body),
});

describe('X-Hub-Signature-256', () => {
  it('signs the published Meta test vector', () => {
    assert.equal(signHubSignature(VECTOR.secret, VECTOR.body), VECTOR.signature);
  });

  it('accepts the published Meta test vector', () => {
    assert.deepEqual(verifyHubSignature(VECTOR.secret, webhook(VECTOR.signature)), { ok: true });
  });

  it('checks the raw bytes, so an escaped-unicode body verifies only as sent', () => {
    const raw = '{"text":"caf\\u00e9 \\ud83d\\ude42"}';
    const signature = signHubSignature('app-secret', raw);
    assert.deepEqual(verifyHubSignature('app-secret', webhook(signature, raw)), { ok: true });
    const reserialised = JSON.stringify(JSON.parse(raw));
    assert.equal(verifyHubSignature('app-secret', webhook(signature, reserialised)).ok, false);
  });

  it('refuses a body changed by one byte', () => {
    assert.deepEqual(verifyHubSignature(VECTOR.secret, webhook(VECTOR.signature, 'tesT')), {
      ok: false,
      reason: 'X-Hub-Signature-256 does not match the body',
    });
  });

  it('refuses a signature made with another app secret', () => {
    assert.equal(verifyHubSignature('another secret', webhook(VECTOR.signature)).ok, false);
  });

  it('refuses a missing header and a malformed one', () => {
    assert.deepEqual(verifyHubSignature(VECTOR.secret, webhook(undefined)), {
      ok: false,
      reason: 'missing X-Hub-Signature-256 header',
    });
    assert.deepEqual(verifyHubSignature(VECTOR.secret, webhook('sha1=abc')), {
      ok: false,
      reason: 'X-Hub-Signature-256 must be sha256=<64 hex digits>',
    });
    assert.equal(verifyHubSignature(VECTOR.secret, webhook(VECTOR.signature.slice(0, -2))).ok, false);
  });
});

describe('the subscription handshake', () => {
  const query = (overrides: Record<string, unknown> = {}) => ({
    'hub.mode': 'subscribe',
    'hub.verify_token': 'my-token',
    'hub.challenge': '1158201444',
    ...overrides,
  });

  it('answers the challenge when the verify token matches', () => {
    assert.deepEqual(answerHandshake('my-token', query()), { ok: true, body: '1158201444' });
  });

  it('reads the nested form an extended query parser produces', () => {
    assert.deepEqual(
      answerHandshake('my-token', { hub: { mode: 'subscribe', verify_token: 'my-token', challenge: '42' } }),
      { ok: true, body: '42' },
    );
  });

  it('refuses a wrong verify token', () => {
    assert.deepEqual(answerHandshake('my-token', query({ 'hub.verify_token': 'guess' })), {
      ok: false,
      reason: 'hub.verify_token does not match',
    });
  });

  it('refuses another mode, a missing token and a missing challenge', () => {
    assert.deepEqual(answerHandshake('my-token', query({ 'hub.mode': 'unsubscribe' })), {
      ok: false,
      reason: 'hub.mode must be "subscribe"',
    });
    assert.equal(answerHandshake('my-token', query({ 'hub.verify_token': undefined })).ok, false);
    assert.deepEqual(answerHandshake('my-token', query({ 'hub.challenge': '' })), {
      ok: false,
      reason: 'hub.challenge is missing',
    });
  });
});
