import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readWebhookTarget } from '../../packages/bridge/src/providers/whatsapp/webhook-target.js';
import { PHONE_NUMBER_ID, SECRETS, startWhatsAppWorld, type WhatsAppWorld } from '../helpers/whatsapp-world.js';

const graph = (world: WhatsAppWorld, path: string, token = SECRETS.accessToken) =>
  fetch(`${world.sandboxUrl}/v23.0/${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('WhatsApp emulator: the business phone number object', () => {
  let world: WhatsAppWorld;
  before(async () => {
    world = await startWhatsAppWorld();
  });
  after(() => world.close());

  it("answers webhook_configuration with the app's callback URL, and only the fields asked for", async () => {
    const res = await graph(world, `${PHONE_NUMBER_ID}?fields=webhook_configuration`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      webhook_configuration: { application: `${world.receiverUrl}/webhook` },
      id: PHONE_NUMBER_ID,
    });
    const named = await graph(world, `${PHONE_NUMBER_ID}?fields=display_phone_number, verified_name`);
    assert.deepEqual(await named.json(), {
      display_phone_number: '15550783881',
      verified_name: 'Sandbox Business',
      id: PHONE_NUMBER_ID,
    });
  });

  it('follows the webhook URL set through the control API', async () => {
    const moved = await world.control('POST', '/webhook', { url: `${world.receiverUrl}/webhook?moved=1` });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    try {
      const body = (await (await graph(world, `${PHONE_NUMBER_ID}?fields=webhook_configuration`)).json()) as {
        webhook_configuration: unknown;
      };
      assert.deepEqual(body.webhook_configuration, { application: `${world.receiverUrl}/webhook?moved=1` });
    } finally {
      await world.control('POST', '/webhook', { url: `${world.receiverUrl}/webhook` });
    }
  });

  it('answers its default fields, webhook_configuration among them, when none are asked for', async () => {
    const body = (await (await graph(world, PHONE_NUMBER_ID)).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), [
      'display_phone_number',
      'id',
      'quality_rating',
      'verified_name',
      'webhook_configuration',
    ]);
  });

  it("refuses a field the node does not have with Graph's code 100, naming it", async () => {
    const res = await graph(world, `${PHONE_NUMBER_ID}?fields=webhook_configuration,callback_url`);
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as {
      error: { message: string; type: string; code: number; fbtrace_id: string };
    };
    assert.equal(
      error.message,
      '(#100) Tried accessing nonexisting field (callback_url) on node type (WhatsAppBusinessPhoneNumber)',
    );
    assert.equal(error.type, 'OAuthException');
    assert.equal(error.code, 100);
    assert.ok(error.fbtrace_id);
  });

  it('refuses a wrong token with code 190 before reading anything', async () => {
    const res = await graph(world, `${PHONE_NUMBER_ID}?fields=webhook_configuration`, 'wrong');
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, 190);
  });

  it("gives the adapter's readWebhookTarget the app's callback URL as the effective target", async () => {
    const target = await readWebhookTarget(
      { phoneNumberId: PHONE_NUMBER_ID, accessToken: SECRETS.accessToken, graphBaseUrl: world.sandboxUrl },
      { fetch },
    );
    assert.deepEqual(target, {
      levels: { application: `${world.receiverUrl}/webhook` },
      effective: { url: `${world.receiverUrl}/webhook`, source: 'application' },
    });
  });
});
