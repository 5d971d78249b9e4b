import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setWebhook, telegramEndpoint } from '../../packages/bridge/src/providers/telegram/index.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { specMissing } from '../helpers/spec-schemas.js';
import {
  assertCallsMatchSpec,
  startTelegramSandbox,
  waitUntil,
  type TelegramSandboxHandle,
} from '../helpers/telegram-sandbox.js';
import { TELEGRAM_SPEC } from '../helpers/telegram-schemas.js';

const SECRET = 'bridge_webhook_secret';
const CHAT = '7113042871';

/** The emulator pointed at the real bridge: api, Temporal dev server, worker and HubSpot sandbox. */
describe('Telegram emulator → bridge → HubSpot sandbox', () => {
  let emulator: TelegramSandboxHandle;
  let bridge: TestBridge;
  let account: AccountWithCredentials;
  const published = (text: string) => [...bridge.sandboxState.messages.values()].find((m) => m.text.includes(text));
  const customer = async (body: Record<string, unknown>) => {
    const res = await emulator.control(`/bots/${emulator.bot.id}/messages`, body);
    assert.equal(res.status, 201);
    return ((await res.json()) as { update: { update_id: number; message: { message_id: number } } }).update;
  };

  before(async () => {
    emulator = await startTelegramSandbox();
    const providerEndpoints = { settings: { telegram: { apiBaseUrl: emulator.url } } };
    // Given to both sides: startTestBridge lets the outbound deps' endpoints replace the inbound ones.
    bridge = await startTestBridge({ inbound: { providerEndpoints }, outbound: { providerEndpoints } });
    account = await connectAccount(bridge, 'telegram', { botToken: emulator.token, secretToken: SECRET });
    // As the connection flow does: point the bot's webhook at the bridge, with the secret.
    await setWebhook(telegramEndpoint({ botToken: emulator.token, apiBaseUrl: emulator.url }, { fetch }), {
      url: `${bridge.apiUrl}/webhooks/telegram/${account.accountId}`,
      secretToken: SECRET,
    });
  });
  after(async () => {
    await bridge?.stop();
    await emulator?.close();
  });

  it("carries a customer's text into a HubSpot thread keyed by the Telegram chat", async () => {
    const update = await customer({ text: 'Hi, is order 1042 on its way? 📦' });
    const message = await waitUntil(() => published('order 1042 on its way'), 'the HubSpot message', 60_000);
    assert.equal(message.integrationIdempotencyId, `inbound:${account.accountId}:${CHAT}:${update.message.message_id}`);
    assert.match(message.senders[0]?.name ?? '', /Jane Doe/);
    assert.equal(
      bridge.sandboxState.threads.get(message.conversationsThreadId)?.integrationThreadId,
      `${account.accountId}:${CHAT}`,
    );
    assert.equal(emulator.state.updates.at(-1)?.state, 'delivered');
  });

  it('carries a photo with its caption: downloaded through getFile, uploaded to HubSpot Files', async () => {
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a0000000d49484452000000400000003008060000', 'hex'),
      Buffer.alloc(64, 9),
    ]);
    await customer({
      text: 'This is how it arrived',
      file: { as: 'photo', data_base64: png.toString('base64'), mime_type: 'image/png' },
    });
    const message = await waitUntil(() => published('This is how it arrived'), 'the photo message', 60_000);
    assert.equal(message.attachments.length, 1);
    const fileId = String(message.attachments[0]?.fileId);
    const file = bridge.sandboxState.files.get(fileId);
    assert.deepEqual(file?.bytes, png, 'HubSpot holds the very bytes the customer sent');
    assert.ok(emulator.state.calls.some((c) => c.method === 'getFile' && c.status === 200));
  });

  it('acknowledges a block without publishing anything', async () => {
    const before = bridge.sandboxState.messages.size;
    await emulator.control(`/bots/${emulator.bot.id}/block`, {});
    await waitUntil(
      () =>
        emulator.state.updates.at(-1)?.state === 'delivered' &&
        'my_chat_member' in emulator.state.updates.at(-1)!.update,
      'the block update acknowledged',
    );
    await emulator.control(`/bots/${emulator.bot.id}/unblock`, {});
    assert.equal(bridge.sandboxState.messages.size, before);
  });

  it('is refused with 401 when the secret is wrong, which the emulator reports in getWebhookInfo', async () => {
    await emulator.api('setWebhook', {
      url: `${bridge.apiUrl}/webhooks/telegram/${account.accountId}`,
      secret_token: 'not_the_secret',
    });
    await customer({ text: 'sent with the wrong secret' });
    const info = await waitUntil(async () => {
      const { result } = (await (await emulator.api('getWebhookInfo')).json()) as {
        result: { last_error_message?: string };
      };
      return result.last_error_message ? result : undefined;
    }, 'a delivery error');
    assert.equal(info.last_error_message, 'Wrong response from the webhook: 401 Unauthorized');
    assert.equal(published('sent with the wrong secret'), undefined);
  });

  it('made only Bot API calls, and got only answers, that match the spec', { skip: specMissing(TELEGRAM_SPEC) }, () => {
    assertCallsMatchSpec(emulator.state.calls);
  });
});
