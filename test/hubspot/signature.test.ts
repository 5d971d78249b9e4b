import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Signature } from '@hubspot/api-client';
import { hubSpotSignatureV3, verifyHubSpotSignatureV3 } from '../../packages/bridge/src/hubspot/signature.js';

// A v3 test vector (the scheme:
// https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation#validate-the-v3-request-signature),
// computed with node:crypto;
// @hubspot/api-client's Signature.getSignature('POST', 'v3', …) gives the same value.
const SECRET = 'hubspot-client-secret';
const URL = 'https://bridge.example.com/hubspot/webhook';
const BODY = Buffer.from('{"type":"OUTGOING_CHANNEL_MESSAGE_CREATED"}');
const TS = '1767225600000';
const EXPECTED = 'Za4peHImCClm70mJjTDrjksFVxPbvNCDd0DksktijoU=';
const NOW = Number(TS) + 1000;

const request = (overrides: Partial<Parameters<typeof verifyHubSpotSignatureV3>[1]> = {}) => ({
  method: 'POST',
  url: URL,
  rawBody: BODY,
  signature: EXPECTED,
  timestamp: TS,
  ...overrides,
});

describe('HubSpot webhook signature v3', () => {
  it("computes the reference's test vector", () => {
    assert.equal(hubSpotSignatureV3(SECRET, 'POST', URL, BODY, TS), EXPECTED);
  });

  it('agrees with @hubspot/api-client on a non-ASCII body (oracle)', () => {
    const body = '{"text":"Grüße — ok","n":1}';
    const url = 'https://bridge.example.com/webhooks/hubspot?portal=1';
    const ts = 1767225600123;
    const oracle = Signature.getSignature('POST', 'v3', {
      signature: '',
      clientSecret: SECRET,
      requestBody: body,
      url,
      timestamp: ts,
    });
    assert.equal(hubSpotSignatureV3(SECRET, 'POST', url, Buffer.from(body), String(ts)), oracle);
  });

  it('signs an encoded URI as HubSpot does: %3A, %2F and the other listed sequences decoded first', () => {
    const encoded = 'https://bridge.example.com/webhooks/hubspot?next=a%3Ab%2Fc%40d';
    const decoded = 'https://bridge.example.com/webhooks/hubspot?next=a:b/c@d';
    assert.equal(
      hubSpotSignatureV3(SECRET, 'POST', encoded, BODY, TS),
      hubSpotSignatureV3(SECRET, 'POST', decoded, BODY, TS),
    );
  });

  it('accepts the vector within five minutes, before or after', () => {
    assert.deepEqual(verifyHubSpotSignatureV3(SECRET, request(), NOW), { ok: true });
    assert.deepEqual(verifyHubSpotSignatureV3(SECRET, request(), Number(TS) + 299_000), { ok: true });
    assert.deepEqual(verifyHubSpotSignatureV3(SECRET, request(), Number(TS) - 60_000), { ok: true });
  });

  it('refuses a stale timestamp even with a correct signature', () => {
    const result = verifyHubSpotSignatureV3(SECRET, request(), Number(TS) + 300_001);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /more than 5 minutes/);
  });

  it('refuses a forged signature, a changed body, another URL, another secret and a changed timestamp', () => {
    const refused = [
      request({ signature: 'Za4peHImCClm70mJjTDrjksFVxPbvNCDd0DksktijoX=' }),
      request({ rawBody: Buffer.from('{"type":"OUTGOING_CHANNEL_MESSAGE_CREATED" }') }),
      request({ url: 'https://bridge.example.com/other' }),
      request({ timestamp: String(Number(TS) + 1) }),
      request({ signature: 'short' }),
    ].map((r) => verifyHubSpotSignatureV3(SECRET, r, NOW).ok);
    assert.deepEqual(refused, [false, false, false, false, false]);
    assert.equal(verifyHubSpotSignatureV3('another-secret', request(), NOW).ok, false);
  });

  it('refuses missing headers and a timestamp that is not a number, with a reason', () => {
    const missing = verifyHubSpotSignatureV3(SECRET, request({ signature: undefined }), NOW);
    assert.deepEqual(missing, { ok: false, reason: 'X-HubSpot-Signature-v3 is missing' });
    assert.equal(verifyHubSpotSignatureV3(SECRET, request({ timestamp: undefined }), NOW).ok, false);
    assert.equal(verifyHubSpotSignatureV3(SECRET, request({ timestamp: 'yesterday' }), NOW).ok, false);
  });
});
