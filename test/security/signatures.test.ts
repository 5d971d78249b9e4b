import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import {
  genericScheme,
  hubSpotScheme,
  randomSecret,
  runIdOf,
  telegramScheme,
  whatsAppScheme,
  type WebhookScheme,
} from './support/webhook-schemes.js';

/**
 * Security check 1: nobody but the sender holding the secret gets a webhook in. For each scheme the bridge
 * verifies: a forged signature, another account's secret, a signature over other bytes and a missing
 * signature are refused with 401 and start nothing; a stale timestamp and a replay outside the window are
 * refused where the scheme signs a time; a replay inside the window never makes a second message.
 */
describe('security: signature forgery, stale timestamps and replays are refused', { timeout: 120_000 }, () => {
  let bridge: TestBridge;
  let schemes: WebhookScheme[];
  before(async () => {
    bridge = await startTestBridge({ worker: false });
    const whatsapp = (appSecret: string) => ({
      phoneNumberId: '106540352242922',
      accessToken: 'EAAG-token',
      appSecret,
      verifyToken: 'verify',
    });
    const otherGeneric = await connectAccount(bridge, 'generic', {
      signingSecret: `whsec_${Buffer.from(randomSecret()).toString('base64')}`,
    });
    const [wa, otherWa] = [
      await connectAccount(bridge, 'whatsapp', whatsapp(randomSecret())),
      await connectAccount(bridge, 'whatsapp', whatsapp(randomSecret())),
    ];
    const [tg, otherTg] = [
      await connectAccount(bridge, 'telegram', { botToken: '1:a', secretToken: randomSecret() }),
      await connectAccount(bridge, 'telegram', { botToken: '2:b', secretToken: randomSecret() }),
    ];
    schemes = [
      hubSpotScheme(bridge.apiUrl, bridge.sandboxState.app.clientSecret, bridge.account.accountId),
      genericScheme(bridge.apiUrl, bridge.account, otherGeneric),
      whatsAppScheme(bridge.apiUrl, wa, otherWa),
      telegramScheme(bridge.apiUrl, tg, otherTg),
    ];
  });
  after(() => bridge.stop());

  const post = (scheme: WebhookScheme, body: string, headers: Record<string, string>) =>
    fetch(scheme.url, { method: 'POST', headers, body });
  const reasonOf = async (res: Response) => ((await res.json()) as { error?: string }).error ?? '';
  /** Posts, expects 401 with a reason matching `reason`, and checks the message started no workflow. */
  const refused = async (
    scheme: WebhookScheme,
    message: { body: string; workflowId: string },
    headers: Record<string, string>,
    reason: RegExp,
  ) => {
    const res = await post(scheme, message.body, headers);
    assert.equal(res.status, 401, `${scheme.name}: expected 401, got ${res.status}`);
    assert.match(await reasonOf(res), reason);
    assert.equal(
      await runIdOf(bridge.client, message.workflowId),
      undefined,
      `${scheme.name}: a refused request started ${message.workflowId}`,
    );
  };

  // The schemes need the running api's URL, so tests name them here and find them once the bridge is up.
  const NAMES = [
    'HubSpot (X-HubSpot-Signature-v3)',
    'the generic provider (Standard Webhooks)',
    'WhatsApp (X-Hub-Signature-256)',
    'Telegram (secret_token header)',
  ];
  for (const name of NAMES) {
    const scheme = () => schemes.find((s) => s.name === name)!;

    it(`${name}: accepts a correctly signed request (so every refusal below is the signature's doing)`, async () => {
      const message = scheme().message();
      const res = await post(scheme(), message.body, scheme().sign(message.body, scheme().secret));
      assert.equal(res.status, 200, `${scheme().name}: ${await res.text()}`);
      assert.ok(await runIdOf(bridge.client, message.workflowId));
    });

    it(`${name}: refuses a forged signature, another account's secret, and a missing signature`, async () => {
      const s = scheme();
      const forged = s.message();
      await refused(s, forged, s.sign(forged.body, randomSecret()), /signature rejected/);
      const otherAccount = s.message();
      await refused(s, otherAccount, s.sign(otherAccount.body, s.otherSecret), /signature rejected/);
      const unsigned = s.message();
      await refused(
        s,
        unsigned,
        { 'content-type': 'application/json' },
        /signature rejected: (missing|X-HubSpot-Signature-v3 is missing)/i,
      );
    });

    // Telegram signs no body (its secret_token header is the same for every update), so this attack is not one there.
    if (!name.startsWith('Telegram'))
      it(`${name}: refuses a valid signature presented with another body`, async () => {
        const s = scheme();
        const signedFor = s.message();
        const sent = s.message();
        await refused(s, sent, s.sign(signedFor.body, s.secret), /signature rejected/);
      });

    it(`${name}: refuses a stale timestamp and a replay outside the window; absorbs a replay inside it`, async () => {
      const s = scheme();
      const message = s.message();
      if (s.windowSeconds === undefined) {
        // WhatsApp and Telegram sign no time, so there is no window to enforce. A replay of a captured request is
        // absorbed: the workflow id comes from the provider's message id and REJECT_DUPLICATE holds even once closed.
        const headers = s.sign(message.body, s.secret);
        assert.equal((await post(s, message.body, headers)).status, 200);
        const firstRun = await runIdOf(bridge.client, message.workflowId);
        await bridge.client.workflow.getHandle(message.workflowId).terminate('closed before the replay');
        const replay = await post(s, message.body, headers);
        assert.equal(replay.status, 200);
        assert.deepEqual(((await replay.json()) as { accepted: unknown[] }).accepted, [
          { workflowId: message.workflowId, duplicate: true },
        ]);
        assert.equal(await runIdOf(bridge.client, message.workflowId), firstRun, 'the replay started no second run');
        return;
      }
      const window = s.windowSeconds * 1000;
      const stale = s.message();
      await refused(
        s,
        stale,
        s.sign(stale.body, s.secret, new Date(Date.now() - window - 60_000)),
        /signature rejected: .*(window|5 minutes)/,
      );
      await refused(
        s,
        stale,
        s.sign(stale.body, s.secret, new Date(Date.now() + window + 60_000)),
        /signature rejected: .*(window|5 minutes)/,
      );

      // Signed 3 s before the window closes: accepted now, and the identical bytes are refused once it has closed.
      const headers = s.sign(message.body, s.secret, new Date(Date.now() - window + 3000));
      const first = await post(s, message.body, headers);
      assert.equal(first.status, 200, await first.clone().text());
      const firstRun = await runIdOf(bridge.client, message.workflowId);
      const inside = await post(s, message.body, headers);
      if (inside.status === 200)
        assert.deepEqual(((await inside.json()) as { accepted: unknown[] }).accepted, [
          { workflowId: message.workflowId, duplicate: true },
        ]);
      else assert.match(await reasonOf(inside), /replay/); // HubSpot re-signs every retry, so a byte-identical repeat is refused outright
      await new Promise((resolve) => setTimeout(resolve, 4500));
      const outside = await post(s, message.body, headers);
      assert.equal(outside.status, 401);
      assert.match(await reasonOf(outside), /signature rejected: .*(window|5 minutes)/);
      assert.equal(await runIdOf(bridge.client, message.workflowId), firstRun, 'no second run');
    });
  }
});
