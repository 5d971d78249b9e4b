import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createWhatsAppAdapter } from '../../packages/bridge/src/providers/whatsapp/index.js';
import { createWhatsAppSandbox, type WhatsAppSandbox } from '../../packages/sandbox/src/whatsapp/app.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { waitFor } from '../helpers/whatsapp-world.js';

const SECRETS = {
  accessToken: 'EAAG-bridge-token',
  appSecret: 'bridge-app-secret',
  verifyToken: 'bridge-verify-token',
};
const PHONE_NUMBER_ID = '106540352242922';

/** The emulator pointed at the real bridge: api, Temporal dev server, worker and HubSpot sandbox. */
describe('WhatsApp emulator → bridge → HubSpot sandbox', () => {
  let bridge: TestBridge;
  let account: AccountWithCredentials;
  let emulator: WhatsAppSandbox;
  let server: Server;
  let emulatorUrl: string;
  before(async () => {
    bridge = await startTestBridge();
    account = await connectAccount(bridge, 'whatsapp', { phoneNumberId: PHONE_NUMBER_ID, ...SECRETS });
    emulator = createWhatsAppSandbox({ ...SECRETS, phoneNumberId: PHONE_NUMBER_ID, statusDelayMs: 50 });
    server = await new Promise<Server>((resolve) => {
      const s = emulator.listen(0, '127.0.0.1', () => resolve(s));
    });
    emulatorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_sandbox/whatsapp`;
  });
  after(async () => {
    emulator?.stopTimers();
    await new Promise<void>((r) => server?.close(() => r()));
    await bridge?.stop();
  });

  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${emulatorUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const deliveries = async () =>
    (
      (await (await fetch(`${emulatorUrl}/webhooks`)).json()) as {
        deliveries: { body: unknown; delivered: boolean; attempts: { status?: number }[] }[];
      }
    ).deliveries;
  const published = (text: string) => [...bridge.sandboxState.messages.values()].find((m) => m.text.includes(text));

  it('subscribes to the bridge webhook with the verify token, and is refused with another', async () => {
    const webhookUrl = `${bridge.apiUrl}/webhooks/whatsapp/${account.accountId}`;
    const wrong = await control('/webhook', { url: webhookUrl, verifyToken: 'not-the-token' });
    assert.equal(wrong.status, 409);
    const right = await control('/webhook', { url: webhookUrl, verifyToken: SECRETS.verifyToken });
    assert.deepEqual(right.body, { ok: true, reason: 'verified', redelivered: 0 });
  });

  it("carries a customer's text into a HubSpot thread keyed by their WhatsApp id", async () => {
    const sent = await control('/customer/messages', {
      from: '447700900123',
      name: 'Jane Customer',
      type: 'text',
      text: 'Hi, is order 1042 on its way? 📦',
    });
    assert.equal(sent.status, 201);
    const message = await waitFor('the HubSpot message', () => published('order 1042 on its way'), 60_000);
    assert.equal(message.senders[0]?.name, 'Jane Customer');
    assert.equal(message.integrationIdempotencyId, `inbound:${account.accountId}:${String(sent.body.wamid)}`);
    const thread = bridge.sandboxState.threads.get(message.conversationsThreadId);
    assert.equal(thread?.integrationThreadId, `${account.accountId}:447700900123`);
  });

  it('carries a shared location as readable text, and statuses are acknowledged with 200', async () => {
    await control('/customer/messages', {
      from: '447700900123',
      type: 'location',
      location: { latitude: 51.5007, longitude: -0.1246, name: 'Big Ben' },
    });
    const message = await waitFor('the location message', () => published('Big Ben'), 60_000);
    assert.match(message.text, /51\.5007, -0\.1246/);
    const adapter = createWhatsAppAdapter(
      {
        accountId: account.accountId,
        phoneNumberId: PHONE_NUMBER_ID,
        ...SECRETS,
        graphBaseUrl: emulatorUrl.replace('/_sandbox/whatsapp', ''),
      },
      { fetch },
    );
    await adapter.send({ chatId: '447700900123', text: 'On its way!', attachments: [] });
    const statusCount = async () => (await deliveries()).filter((d) => JSON.stringify(d).includes('"statuses"')).length;
    await waitFor('sent, delivered and read pushed', async () => (await statusCount()) === 3);
    await waitFor('every webhook delivered', async () => (await deliveries()).every((d) => d.delivered));
    for (const d of await deliveries()) assert.equal(d.attempts.at(-1)?.status, 200);
  });
});
