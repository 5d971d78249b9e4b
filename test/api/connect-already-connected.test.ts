import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  seedGenericAccount,
  seedTelegramAccount,
  seedWhatsAppAccount,
  setTelegramWebhook,
  whatsappDemoSecrets,
} from '../../packages/dev-tools/src/local/demo-accounts.js';
import type { SeedContext } from '../../packages/dev-tools/src/local/demo-seed.js';
import { addPortal } from '../../packages/sandbox/src/hubspot/state.js';
import { createBot } from '../../packages/sandbox/src/telegram/bots.js';
import { seedContextOf, startConnectWorld, WHATSAPP, type ConnectWorld } from '../helpers/connect.js';
import { waitFor } from '../helpers/temporal.js';

/**
 * "Connecting never breaks what is connected" (issue 16): a bot, number or connector that is already a channel account,
 * or is being connected, in this portal or another, is refused before the provider is touched, naming the account.
 * Runs the real connection page against the HubSpot, Telegram and WhatsApp emulators, with a worker on Temporal.
 */
describe('connection page: what is already connected stays connected', { timeout: 120_000 }, () => {
  let world: ConnectWorld;
  let seed: SeedContext;
  before(async () => {
    world = await startConnectWorld({ worker: true });
    seed = seedContextOf(world);
  });
  after(async () => world.stop());

  let bots = 0;
  const newBot = () => createBot(world.telegram.state, { username: `issue16_${(bots += 1)}_bot` });
  const setWebhookCalls = (botId: number) =>
    world.telegram.state.calls.filter((c) => c.botId === botId && c.method === 'setWebhook').length;
  const telegram = (botToken: string, started?: { url: string }) => async () =>
    world.submitConnect(started ?? (await world.startConnect()), { provider: 'telegram', botToken });
  const assertUntouched = (html: string, secrets: string[]) => {
    for (const secret of secrets) assert.ok(!html.includes(secret), 'the refusal reveals a secret');
  };

  it('refuses the demo bot of `npm start` (an account from configuration), naming it, without a setWebhook', async () => {
    const bot = newBot();
    const demo = await seedTelegramAccount(seed, world.telegram.url, bot.token);
    await setTelegramWebhook(world.telegram.url, demo, bot.token);
    const calls = setWebhookCalls(bot.id);
    const started = await world.startConnect();

    const { status, html } = await telegram(bot.token, started)();
    assert.equal(status, 409, html);
    assert.match(
      html,
      new RegExp(
        `The bot @${bot.user.username} is already connected to HubSpot as &#34;Telegram demo bot&#34; \\(channel account ${demo.channelAccountId}, portal ${world.portal.portalId}\\)`,
      ),
    );
    assert.equal(setWebhookCalls(bot.id), calls, 'setWebhook was called');
    assert.equal(bot.webhook?.url, demo.webhookUrl);
    assert.equal(world.hubspotState.stagingTokens.get(started.accountToken)?.accountName, undefined);
    assertUntouched(html, [bot.token, demo.secret]);
  });

  it('refuses a bot whose connection is pending (HubSpot has not created the account yet), and keeps its webhook', async () => {
    const bot = newBot();
    const first = await telegram(bot.token)();
    assert.equal(first.status, 200, first.html);
    const webhook = bot.webhook?.url;
    const calls = setWebhookCalls(bot.id);

    const second = await telegram(bot.token)();
    assert.equal(second.status, 409, second.html);
    assert.match(
      second.html,
      new RegExp(
        `The bot @${bot.user.username} is already being connected to HubSpot as &#34;Telegram @${bot.user.username}&#34; \\(portal ${world.portal.portalId}, since .* UTC\\); HubSpot has not created its channel account yet`,
      ),
    );
    assert.equal(setWebhookCalls(bot.id), calls);
    assert.equal(bot.webhook?.url, webhook);
  });

  it('refuses a bot pending or connected in another portal, naming that portal and account', async () => {
    const other = addPortal(world.hubspotState);
    await world.store.savePortalTokens({
      portalId: other.portalId,
      accessToken: other.accessToken,
      refreshToken: 'unused',
      expiresAt: '2999-01-01T00:00:00.000Z',
      scopes: ['*'],
      status: 'active',
    });
    const bot = newBot();
    const started = await world.startConnect();
    assert.equal((await telegram(bot.token, started)()).status, 200);
    const fromOther = () => world.startConnect({ portalId: other.portalId });

    const whilePending = await telegram(bot.token, await fromOther())();
    assert.equal(whilePending.status, 409, whilePending.html);
    assert.match(whilePending.html, new RegExp(`already being connected .*portal ${world.portal.portalId}`));

    const finished = await world.sandboxAdmin('POST', `/connect/${started.accountToken}/finish`);
    const accountId = ((await finished.json()) as { id: string }).id;
    await waitFor(() => world.store.getAccount(accountId), 30_000, 'the account in the store');
    const webhook = bot.webhook?.url;
    const whileConnected = await telegram(bot.token, await fromOther())();
    assert.equal(whileConnected.status, 409, whileConnected.html);
    assert.match(
      whileConnected.html,
      new RegExp(
        `already connected to HubSpot as .*\\(channel account ${accountId}, portal ${world.portal.portalId}\\)`,
      ),
    );
    assert.equal(bot.webhook?.url, webhook);
  });

  it('lets exactly one of two popups racing for the same bot connect it', async () => {
    for (let round = 0; round < 4; round += 1) {
      const bot = newBot();
      const [a, b] = await Promise.all([world.startConnect(), world.startConnect()]);
      const answers = await Promise.all([telegram(bot.token, a)(), telegram(bot.token, b)()]);
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409], answers.map((r) => r.html).join('\n'));
      assert.equal(setWebhookCalls(bot.id), 1, 'only the winner set the webhook');
      const winner = answers.find((r) => r.status === 200)!;
      const connection = /\/webhooks\/telegram\/(conn_[\w-]+)/.exec(bot.webhook?.url ?? '')?.[1];
      assert.ok(connection, 'the webhook points at a connection');
      assert.equal((await world.store.getConnection(connection))?.status, 'pending');
      assert.match(winner.html, /is ready/);
    }
  });

  it('refuses a WhatsApp number by its phone number id, even when it was stored under another delivery identifier', async () => {
    // A configured account whose number HubSpot knows by a different display form than Meta's lookup gives.
    const secrets = { ...whatsappDemoSecrets(), accessToken: WHATSAPP.accessToken, displayPhoneNumber: '15550000000' };
    const demo = await seedWhatsAppAccount(seed, world.whatsappUrl, secrets);
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'whatsapp',
      phoneNumberId: secrets.phoneNumberId,
      accessToken: WHATSAPP.accessToken,
      appSecret: WHATSAPP.appSecret,
    });
    assert.equal(status, 409, html);
    assert.match(
      html,
      new RegExp(
        `The number .* is already connected to HubSpot as &#34;WhatsApp demo number&#34; \\(channel account ${demo.channelAccountId}, portal ${world.portal.portalId}\\)`,
      ),
    );
    assert.equal(world.hubspotState.stagingTokens.get(started.accountToken)?.accountName, undefined);
    assertUntouched(html, [secrets.accessToken, secrets.appSecret, secrets.verifyToken]);
    await world.store.deleteAccount(demo.channelAccountId);
  });

  it('refuses a WhatsApp number another popup is connecting', async () => {
    const form = {
      provider: 'whatsapp',
      phoneNumberId: '106540352242922',
      accessToken: WHATSAPP.accessToken,
      appSecret: WHATSAPP.appSecret,
    };
    assert.equal((await world.submitConnect(await world.startConnect(), form)).status, 200);
    const again = await world.submitConnect(await world.startConnect(), form);
    assert.equal(again.status, 409, again.html);
    assert.match(again.html, /The number .* is already being connected/);
  });

  it("refuses a generic connector whose callback URL already takes another account's replies", async () => {
    // The demo connector's replies go to `${emulator}/connector/callback`.
    const demo = await seedGenericAccount(seed, 'http://connector.example.test:8080');
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'generic',
      accountName: 'Second connector',
      callbackUrl: 'HTTP://Connector.Example.TEST:8080/connector/callback',
    });
    assert.equal(status, 409, html);
    assert.match(
      html,
      new RegExp(
        `already connected to HubSpot as &#34;Generic demo connector&#34; \\(channel account ${demo.channelAccountId}`,
      ),
    );
    assertUntouched(html, [demo.secret]);
    const elsewhere = await world.submitConnect(await world.startConnect(), {
      provider: 'generic',
      accountName: 'Another connector',
      callbackUrl: 'https://other.example.test/replies',
    });
    assert.equal(elsewhere.status, 200, 'a connector with its own callback URL connects');
    const none = await world.submitConnect(await world.startConnect(), {
      provider: 'generic',
      accountName: 'No replies',
    });
    assert.equal(none.status, 200, 'a connector without a callback URL shares nothing');
  });
});
