import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor, REDACTED, secretsOf } from '../../packages/bridge/src/doctor/redact.js';

describe('the redactor', () => {
  it('removes each known secret, as is and URL-encoded', () => {
    const redactor = createRedactor(['k3y+with/slash=']);
    assert.equal(redactor.redact('a k3y+with/slash= and k3y%2Bwith%2Fslash%3D'), `a ${REDACTED} and ${REDACTED}`);
  });

  it('removes credentials shaped as query fields, bot paths, bearer headers and database passwords', () => {
    const text = redactorText();
    const out = createRedactor().redact(text);
    for (const secret of ['devkey-123', 'AAH-bot-secret', 'eyJhbGciOi.payload.sig', 'pg-pass'])
      assert.ok(!out.includes(secret), `${secret} left in ${out}`);
    assert.match(out, /hapikey=\[redacted\]&appId=1/);
    assert.match(out, /\/bot\[redacted\]\/getMe/);
    assert.match(out, /postgres:\/\/bridge:\[redacted\]@db:5432\/bridge/);
  });

  it('ignores values too short to be secrets, and adds values found later', () => {
    const redactor = createRedactor(['abc']);
    assert.equal(redactor.redact('abc'), 'abc');
    redactor.add('portal-token-1', undefined);
    assert.equal(redactor.redact('token portal-token-1'), `token ${REDACTED}`);
  });

  it("takes every secret setting from an environment, and a database URL's password", () => {
    const secrets = secretsOf({
      HUBSPOT_CLIENT_SECRET: 'client-secret',
      BRIDGE_PREVIOUS_ENCRYPTION_KEYS: 'old-key-one, old-key-two',
      BRIDGE_DATABASE_URL: 'postgres://u:p%40ssword@h/d',
      HUBSPOT_APP_ID: '123456',
    });
    assert.deepEqual(
      secrets.sort(),
      ['client-secret', 'old-key-one', 'old-key-two', 'p%40ssword', 'p@ssword', 'postgres://u:p%40ssword@h/d'].sort(),
    );
  });
});

function redactorText(): string {
  return [
    'request to https://api.hubapi.com/conversations/v3/custom-channels/5?hapikey=devkey-123&appId=1 failed',
    'GET https://api.telegram.org/bot123456:AAH-bot-secret/getMe',
    'authorization: Bearer eyJhbGciOi.payload.sig',
    'postgres://bridge:pg-pass@db:5432/bridge',
  ].join('\n');
}
