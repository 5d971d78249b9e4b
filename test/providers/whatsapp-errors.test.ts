import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { graphError, reasonForStatusError } from '../../src/providers/whatsapp/errors.js';

const body = (code: number, extra: Record<string, unknown> = {}) => ({ error: { message: `(#${code}) something`, type: 'OAuthException', code, fbtrace_id: 'x', ...extra } });

describe('classifying WhatsApp Graph errors', () => {
  it('retries throughput, pair rate, app and account limits with a delay', () => {
    for (const [code, delay] of [[130429, 2], [131056, 6], [4, 60], [80007, 60]] as const) {
      const error = graphError(400, body(code));
      assert.equal(error.retryable, true, String(code));
      assert.equal(error.options.retryAfterSeconds, delay, String(code));
      assert.equal(error.options.code, code);
    }
  });

  it('prefers Retry-After when Graph sends it', () => {
    assert.equal(graphError(429, body(130429), '17').options.retryAfterSeconds, 17);
  });

  it('retries anything Graph marks is_transient, and a 5xx without a final code', () => {
    assert.equal(graphError(400, body(1, { is_transient: true })).retryable, true);
    assert.equal(graphError(502, undefined).retryable, true);
  });

  it('does not retry the window, undeliverable, bad parameters, unsupported types or auth failures', () => {
    for (const code of [131047, 131026, 100, 131008, 131051, 0, 3, 10, 190, 200, 299]) {
      assert.equal(graphError(400, body(code)).retryable, false, String(code));
    }
  });

  it('gives a reason a rep can read, with Meta details for a refused parameter', () => {
    assert.equal(graphError(400, body(131047)).reason, "outside WhatsApp's 24-hour window: the customer must write first, or use a template (131047)");
    assert.equal(graphError(401, body(190)).reason, 'the WhatsApp access token has expired or is invalid: reconnect the account (190)');
    assert.equal(graphError(400, body(100, { error_data: { details: "Param text['body'] is required" } })).reason, "WhatsApp rejected a parameter of the request: Param text['body'] is required (100)");
    assert.equal(graphError(400, body(12345)).reason, 'WhatsApp: (#12345) something (12345)');
  });

  it('explains a failed status from its first error', () => {
    assert.equal(reasonForStatusError({ code: 131026, title: 'Message undeliverable' }), 'WhatsApp could not deliver it: the number is not on WhatsApp, uses an old app version, or has not accepted the terms (131026)');
    assert.equal(reasonForStatusError({ code: 999999, title: 'Odd', error_data: { details: 'Something odd happened' } }), 'WhatsApp: Something odd happened (999999)');
    assert.equal(reasonForStatusError(undefined), 'WhatsApp reported the message as failed without a reason');
  });
});
