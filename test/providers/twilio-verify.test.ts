import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createTwilioAdapter } from '../../packages/bridge/src/providers/twilio/index.js';

const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const URL_CALLED = 'https://bridge.example.com/webhooks/twilio/acct-1';

// Computed here by hand from Twilio's description (URL, then each parameter's name and value sorted by name), not
// with the adapter's helper, so a mistake in one cannot hide in the other.
function handSigned(url: string, pairs: [string, string][]): string {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', AUTH_TOKEN)
    .update(url + sorted.map(([k, v]) => k + v).join(''))
    .digest('base64');
}

const PAIRS: [string, string][] = [
  ['To', '+15005550006'],
  ['From', '+15551234567'],
  ['Body', 'Hello + goodbye & café'],
  ['MessageSid', 'SM0123456789abcdef0123456789abcdef'],
  ['AccountSid', `AC${'5a'.repeat(16)}`],
  ['NumMedia', '0'],
];
const formBody = (pairs: [string, string][]) => Buffer.from(new URLSearchParams(pairs).toString());
const adapter = (webhookUrl = URL_CALLED) =>
  createTwilioAdapter(
    {
      accountId: asAccountId('acct-1'),
      accountSid: `AC${'5a'.repeat(16)}`,
      authToken: AUTH_TOKEN,
      sender: '+15005550006',
      webhookUrl,
    },
    { fetch },
  );
const form = (signature: string | undefined, body = formBody(PAIRS)) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  body,
});

describe('X-Twilio-Signature on form webhooks', () => {
  it('accepts a webhook signed over the URL and the sorted parameters', () => {
    assert.deepEqual(adapter().verify(form(handSigned(URL_CALLED, PAIRS))), { ok: true });
  });

  it('refuses a webhook whose Body was changed', () => {
    const changed = PAIRS.map(([k, v]): [string, string] => [k, k === 'Body' ? 'Hello' : v]);
    assert.deepEqual(adapter().verify(form(handSigned(URL_CALLED, PAIRS), formBody(changed))), {
      ok: false,
      reason: 'X-Twilio-Signature does not match',
    });
  });

  it('refuses a signature made for another URL (the account the URL names)', () => {
    assert.equal(
      adapter().verify(form(handSigned('https://bridge.example.com/webhooks/twilio/acct-2', PAIRS))).ok,
      false,
    );
  });

  it('refuses a webhook without the header', () => {
    assert.deepEqual(adapter().verify(form(undefined)), { ok: false, reason: 'missing X-Twilio-Signature header' });
  });

  it('checks against the URL the core passes with the webhook when it has one', () => {
    const called = `${URL_CALLED}?source=console`;
    const webhook = { ...form(handSigned(called, PAIRS)), url: called };
    assert.deepEqual(adapter().verify(webhook), { ok: true });
  });

  it('cannot verify without knowing the URL', () => {
    const noUrl = createTwilioAdapter(
      { accountId: asAccountId('a'), accountSid: 'AC', authToken: AUTH_TOKEN, sender: '+1' },
      { fetch },
    );
    assert.equal(noUrl.verify(form(handSigned(URL_CALLED, PAIRS))).ok, false);
  });
});

describe('X-Twilio-Signature on JSON webhooks', () => {
  const body = Buffer.from('{"MessageSid":"SM1","MessageStatus":"delivered"}');
  const sha = createHash('sha256').update(body).digest('hex');
  const called = `${URL_CALLED}?bodySHA256=${sha}`;
  const json = (url: string, signature: string, raw = body) => ({
    headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
    body: raw,
    url,
  });

  it('accepts a body whose SHA-256 matches bodySHA256, with the signature over the URL only', () => {
    assert.deepEqual(adapter().verify(json(called, handSigned(called, []))), { ok: true });
  });

  it('refuses a body that does not match bodySHA256', () => {
    assert.deepEqual(adapter().verify(json(called, handSigned(called, []), Buffer.from('{}'))), {
      ok: false,
      reason: 'bodySHA256 does not match the body',
    });
  });

  it('refuses a JSON webhook whose URL has no bodySHA256', () => {
    assert.equal(adapter().verify(json(URL_CALLED, handSigned(URL_CALLED, []))).ok, false);
  });

  it('refuses a signature that covers the URL with another bodySHA256', () => {
    const other = `${URL_CALLED}?bodySHA256=${'0'.repeat(64)}`;
    assert.equal(adapter().verify(json(called, handSigned(other, []))).ok, false);
  });
});
