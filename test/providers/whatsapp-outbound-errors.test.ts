import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { graphError } from '../../packages/bridge/src/providers/whatsapp/errors.js';

const body = (code: number) => ({
  error: { message: `(#${code}) something`, type: 'OAuthException', code, fbtrace_id: 'x' },
});

/**
 * Meta's error-code table
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 */
describe('WhatsApp errors a reply meets on its way out', () => {
  it('backs off and retries the spam rate limit (131048) and maintenance mode (131057): both lift with time', () => {
    for (const code of [131048, 131057]) {
      const error = graphError(400, body(code));
      assert.equal(error.retryable, true, String(code));
      assert.equal(error.options.retryAfterSeconds, 60, String(code));
    }
    assert.match(graphError(400, body(131048)).reason, /spam rate limit.*\(131048\)$/);
  });

  it('keeps a locked or policy-blocked account and the 24-hour window final, with a reason a rep can act on', () => {
    for (const [code, reason] of [
      [131031, /account is locked/],
      [368, /blocked for a policy violation/],
      [131047, /24-hour window/],
      [131062, /known only by their username.*needs their phone number/],
    ] as const) {
      const error = graphError(400, body(code));
      assert.equal(error.retryable, false, String(code));
      assert.match(error.reason, reason);
    }
  });
});
