import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeWebhookReadError, judgeWebhookTarget } from '../../packages/bridge/src/providers/whatsapp/doctor.js';
import { readWebhookTarget } from '../../packages/bridge/src/providers/whatsapp/webhook-target.js';

// Where Meta's webhooks go is read live against the emulator in doctor.test.ts; the emulator has no webhook overrides
// and cannot refuse the read, so those answers are played here from the bodies on Meta's override page.
const PHONE_NUMBER_ID = '106540352242922';
const BRIDGE = 'https://bridge.example/webhooks/whatsapp/8675309';
const urls = [BRIDGE, 'https://bridge.example/webhooks/whatsapp/conn_abc'];

function graphAnswering(status: number, body: unknown) {
  const calls: { url: string; authorization: string | null }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

async function judged(status: number, body: unknown) {
  const graph = graphAnswering(status, body);
  const settings = {
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: 'EAAG-test-token',
    graphBaseUrl: 'https://graph.example',
  };
  try {
    return {
      check: judgeWebhookTarget(urls, PHONE_NUMBER_ID, await readWebhookTarget(settings, graph)),
      calls: graph.calls,
    };
  } catch (error) {
    return { check: judgeWebhookReadError(urls, error), calls: graph.calls };
  }
}

const configured = (webhook_configuration: Record<string, string>) => ({ webhook_configuration, id: PHONE_NUMBER_ID });

describe("doctor: where Meta sends a WhatsApp number's webhooks", () => {
  it("reads webhook_configuration of the number with the account's token, and passes when the app's callback URL is the bridge's", async () => {
    const { check, calls } = await judged(200, configured({ application: BRIDGE }));
    assert.deepEqual(calls, [
      {
        url: `https://graph.example/v23.0/${PHONE_NUMBER_ID}?fields=webhook_configuration`,
        authorization: 'Bearer EAAG-test-token',
      },
    ]);
    assert.equal(check.status, 'pass');
    assert.equal(check.detail, `Meta sends this number's messages to ${BRIDGE}, the app's callback URL`);
  });

  it('accepts the connection-time URL as well', async () => {
    assert.equal((await judged(200, configured({ application: urls[1]! }))).check.status, 'pass');
  });

  it("follows the phone number's override over the WhatsApp Business account's and the app's", async () => {
    const { check } = await judged(
      200,
      configured({
        phone_number: BRIDGE,
        whatsapp_business_account: 'https://waba.example/hook',
        application: 'https://app.example/hook',
      }),
    );
    assert.equal(check.status, 'pass');
    assert.equal(
      check.detail,
      `Meta sends this number's messages to ${BRIDGE}, the phone number's own callback URL (a webhook override)`,
    );
  });

  it('names an override on the phone number that points elsewhere, and how to point it back or remove it', async () => {
    const { check } = await judged(200, configured({ phone_number: 'https://old.example/hook', application: BRIDGE }));
    assert.equal(check.status, 'fail');
    assert.equal(check.idSuffix, '.webhook');
    assert.match(
      check.detail,
      /^Meta sends this number's messages to https:\/\/old\.example\/hook, the phone number's own callback URL \(a webhook override\), not to https:\/\/bridge\.example\/webhooks\/whatsapp\/8675309/,
    );
    assert.match(
      check.fix!,
      new RegExp(
        `^the override on phone number ${PHONE_NUMBER_ID} wins over the app's callback URL: point it at the bridge with POST /${PHONE_NUMBER_ID} \\{"webhook_configuration": \\{"override_callback_uri": "${BRIDGE}"`,
      ),
    );
    assert.match(check.fix!, /or remove it with "override_callback_uri": ""$/);
  });

  it("names the WhatsApp Business account's override when the number has none", async () => {
    const { check } = await judged(
      200,
      configured({ whatsapp_business_account: 'https://waba.example/hook', application: BRIDGE }),
    );
    assert.equal(check.status, 'fail');
    assert.match(
      check.detail,
      /to https:\/\/waba\.example\/hook, the WhatsApp Business account's callback URL \(a webhook override\), not to/,
    );
    assert.match(
      check.fix!,
      /^the WhatsApp Business account's override wins .* POST \/<WABA id>\/subscribed_apps \{"override_callback_uri": "https:\/\/bridge\.example\/webhooks\/whatsapp\/8675309"/,
    );
  });

  it('fails when Meta has no callback URL for the number at all', async () => {
    for (const body of [configured({}), { id: PHONE_NUMBER_ID }]) {
      const { check } = await judged(200, body);
      assert.equal(check.status, 'fail');
      assert.equal(check.detail, 'Meta has no callback URL for this number: its messages reach no one');
      assert.match(check.fix!, /set the callback URL to https:\/\/bridge\.example\/webhooks\/whatsapp\/8675309/);
    }
  });

  it("is not checkable, with Meta's reason, when the token may not read the field", async () => {
    const refused = {
      error: { message: '(#200) Permissions error', type: 'OAuthException', code: 200, fbtrace_id: 'A1' },
    };
    const { check } = await judged(400, refused);
    assert.equal(check.status, 'skip');
    assert.match(
      check.detail,
      /^not checkable from here: Meta will not show this number's webhook_configuration to the stored access token \(Meta said "\(#200\) Permissions error", code 200\)$/,
    );
    assert.match(
      check.fix!,
      /callback URL is https:\/\/bridge\.example\/webhooks\/whatsapp\/8675309, subscribed to "messages", and that neither the phone number nor the WhatsApp Business account has a webhook override/,
    );
  });

  it('fails, rather than skipping, when Meta is down', async () => {
    const { check } = await judged(503, {
      error: { message: 'Service temporarily unavailable', code: 2, is_transient: true },
    });
    assert.equal(check.status, 'fail');
    assert.match(
      check.detail,
      /^cannot read this number's webhook_configuration: WhatsApp is temporarily unavailable \(2\)/,
    );
    assert.match(check.fix!, /WHATSAPP_GRAPH_BASE_URL/);
  });
});
