import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  graphError,
  reasonForStatusError,
  resendDelaySecondsFor,
} from '../../packages/bridge/src/providers/whatsapp/errors.js';
import { normaliseWhatsAppWebhook } from '../../packages/bridge/src/providers/whatsapp/normalise.js';

const body = (code: number, extra: Record<string, unknown> = {}) => ({
  error: { message: `(#${code}) something`, type: 'OAuthException', code, fbtrace_id: 'x', ...extra },
});

describe('classifying WhatsApp Graph errors', () => {
  it('retries throughput, pair rate, app and account limits with a delay', () => {
    for (const [code, delay] of [
      [130429, 2],
      [131056, 6],
      [4, 60],
      [80007, 60],
    ] as const) {
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
    assert.equal(
      graphError(400, body(131047)).reason,
      "outside WhatsApp's 24-hour window: the customer must write first, or use a template (131047)",
    );
    assert.equal(
      graphError(401, body(190)).reason,
      'the WhatsApp access token has expired or is invalid: reconnect the account (190)',
    );
    assert.equal(
      graphError(400, body(100, { error_data: { details: "Param text['body'] is required" } })).reason,
      "WhatsApp rejected a parameter of the request: Param text['body'] is required (100)",
    );
    assert.equal(graphError(400, body(12345)).reason, 'WhatsApp: (#12345) something (12345)');
  });

  it('explains a failed status from its first error', () => {
    assert.equal(
      reasonForStatusError({ code: 131026, title: 'Message undeliverable' }),
      'WhatsApp could not deliver it: the number is not on WhatsApp, uses an old app version, or has not accepted the terms (131026)',
    );
    assert.equal(
      reasonForStatusError({ code: 999999, title: 'Odd', error_data: { details: 'Something odd happened' } }),
      'WhatsApp: Something odd happened (999999)',
    );
    assert.equal(reasonForStatusError(undefined), 'WhatsApp reported the message as failed without a reason');
  });

  it('says which failed statuses may be sent again, and after how long: throttling and transient codes, never the window or a final refusal', () => {
    assert.equal(resendDelaySecondsFor(131048), 60);
    assert.equal(resendDelaySecondsFor('131000'), 5);
    assert.equal(resendDelaySecondsFor(131016), 5);
    assert.equal(resendDelaySecondsFor(130429), 2);
    for (const final of [131047, 131026, 131050, 100, 190, undefined, 'x'])
      assert.equal(resendDelaySecondsFor(final), undefined, String(final));
  });

  it('puts the resend delay on a failed status receipt', () => {
    const config = { accountId: 'acct-wa', phoneNumberId: '106540352242922' } as Parameters<
      typeof normaliseWhatsAppWebhook
    >[0];
    const status = (code: number) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'waba',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: '106540352242922' },
                statuses: [
                  {
                    id: `wamid.${code}`,
                    status: 'failed',
                    timestamp: '1700000000',
                    recipient_id: '447700900123',
                    errors: [{ code, title: 'Spam rate limit hit' }],
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const receipt = (code: number) =>
      normaliseWhatsAppWebhook(config, { headers: {}, body: Buffer.from(JSON.stringify(status(code))) })[0];
    assert.deepEqual(receipt(131048), {
      kind: 'receipt',
      providerMessageId: 'wamid.131048',
      status: 'failed',
      reason: reasonForStatusError({ code: 131048 }),
      code: 131048,
      resendAfterSeconds: 60,
    });
    assert.equal((receipt(131026) as { resendAfterSeconds?: number }).resendAfterSeconds, undefined);
  });
});
