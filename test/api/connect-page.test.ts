import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBot } from '../../packages/sandbox/src/telegram/bots.js';
import { startConnectWorld, WHATSAPP, type ConnectWorld } from '../helpers/connect.js';

/** The connection page HubSpot opens from "Connect a channel", driven over HTTP against the sandbox and emulators. */
describe('connection page (/connect)', () => {
  let world: ConnectWorld;
  before(async () => {
    world = await startConnectWorld();
  });
  after(async () => world.stop());

  const bot = () => world.telegram.state.bots.get(world.telegram.bot.id)!;
  const staging = (token: string) => world.hubspotState.stagingTokens.get(token)!;
  const pendingFor = (value: string) => world.store.findPendingConnection(world.portal.portalId, value);

  it('shows a form for each provider when HubSpot opens it with a staging token', async () => {
    const started = await world.startConnect();
    const res = await fetch(started.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const page = await res.text();
    for (const field of ['botToken', 'phoneNumberId', 'accessToken', 'appSecret', 'accountName'])
      assert.match(page, new RegExp(`name="${field}"`));
    assert.ok(page.includes(started.accountToken));
  });

  it("refuses a page opened without HubSpot's accountToken and portalId", async () => {
    const res = await fetch(`${world.apiUrl}/connect`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /must be opened from HubSpot/);
  });

  it('connects a Telegram bot: checks the token, sets the webhook with a secret, names the staging token, stores it pending', async () => {
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'telegram',
      botToken: world.telegram.token,
    });
    assert.equal(status, 200, html);
    assert.match(html, /Telegram @channel_bridge_bot is ready/);
    assert.match(html, /Finish connecting in HubSpot/);
    assert.match(bot().webhook?.url ?? '', new RegExp(`^${world.apiUrl}/webhooks/telegram/conn_`));
    assert.ok((bot().webhook as { secretToken?: string } | undefined) !== undefined);
    assert.equal(staging(started.accountToken).accountName, 'Telegram @channel_bridge_bot');
    assert.deepEqual(staging(started.accountToken).deliveryIdentifier, {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: `telegram:${world.telegram.bot.id}`,
    });
    const pending = await pendingFor(`telegram:${world.telegram.bot.id}`);
    assert.equal(pending?.status, 'pending');
    assert.ok(!html.includes(world.telegram.token), 'the page echoes the bot token');
  });

  it('refuses a wrong bot token with what to do, and leaves nothing behind', async () => {
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'telegram',
      botToken: '1000001:not-the-right-secret',
    });
    assert.equal(status, 400);
    assert.match(html, /The bot token was refused: Telegram rejected the bot token .*BotFather/s);
    assert.equal(staging(started.accountToken).accountName, undefined);
    assert.match(html, /Try again/);
  });

  it('refuses something that is not a bot token before calling Telegram', async () => {
    const calls = world.telegram.state.calls.length;
    const { status, html } = await world.submitConnect(await world.startConnect(), {
      provider: 'telegram',
      botToken: 'hello',
    });
    assert.equal(status, 400);
    assert.match(html, /This is not a Telegram bot token/);
    assert.equal(world.telegram.state.calls.length, calls);
  });

  it('explains an expired staging token, undoes the webhook it had set and gives the bot up', async () => {
    // Another bot: the one above is pending, so it is not free to connect again.
    const other = createBot(world.telegram.state, { username: 'expired_link_bot' });
    const started = await world.startConnect();
    world.hubspotState.stagingTokens.delete(started.accountToken); // HubSpot forgot it (expired)
    const { status, html } = await world.submitConnect(started, { provider: 'telegram', botToken: other.token });
    assert.equal(status, 410);
    assert.match(html, /connection link has expired.*click Connect again/s);
    assert.equal(other.webhook?.url ?? '', '', 'the webhook set during the attempt was removed');
    const again = await world.submitConnect(await world.startConnect(), {
      provider: 'telegram',
      botToken: other.token,
    });
    assert.equal(again.status, 200, 'the given-up connection no longer holds the bot');
  });

  it('says "already connected" when HubSpot answers 409 for a used staging token, and leaves nothing pending', async () => {
    const started = await world.startConnect();
    const first = await world.submitConnect(started, { provider: 'generic', accountName: 'First connector' });
    assert.equal(first.status, 200);
    assert.equal((await world.sandboxAdmin('POST', `/connect/${started.accountToken}/finish`)).status, 201);
    const again = await world.submitConnect(started, { provider: 'generic', accountName: 'Second try' });
    assert.equal(again.status, 409);
    assert.match(again.html, /already connected/);
    const all = await world.store.listAccounts();
    assert.ok(!all.some((a) => a.name === 'Second try'));
  });

  it('connects a WhatsApp number: looks it up, names the account by its number, shows the webhook URL and a verify token', async () => {
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'whatsapp',
      phoneNumberId: '106540352242922',
      accessToken: WHATSAPP.accessToken,
      appSecret: WHATSAPP.appSecret,
    });
    assert.equal(status, 200, html);
    assert.match(html, /WhatsApp Sandbox Business \(15550783881\) is ready/);
    assert.match(html, new RegExp(`${world.apiUrl}/webhooks/whatsapp/conn_`));
    assert.match(html, /Verify token/);
    assert.deepEqual(staging(started.accountToken).deliveryIdentifier, {
      type: 'HS_PHONE_NUMBER',
      value: '+15550783881',
    });
    assert.ok(!html.includes(WHATSAPP.accessToken) && !html.includes(WHATSAPP.appSecret));
  });

  it('refuses a WhatsApp access token Meta does not accept', async () => {
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'whatsapp',
      phoneNumberId: '106540352242922',
      accessToken: 'wrong',
      appSecret: 'x',
    });
    assert.equal(status, 400);
    assert.match(html, /phone number id and access token was refused/);
    assert.equal(staging(started.accountToken).accountName, undefined);
  });

  it('lists every missing WhatsApp field at once', async () => {
    const { status, html } = await world.submitConnect(await world.startConnect(), {
      provider: 'whatsapp',
      phoneNumberId: 'abc',
    });
    assert.equal(status, 400);
    assert.match(html, /digits only/);
    assert.match(html, /access token is required/);
    assert.match(html, /app secret is required/);
  });

  it('connects a generic service with a generated signing secret, shown once', async () => {
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'generic',
      accountName: 'Acme connector',
      callbackUrl: 'https://connector.example.com/replies',
    });
    assert.equal(status, 200, html);
    assert.match(html, /whsec_[A-Za-z0-9+/=]{20,}/);
    assert.match(html, new RegExp(`${world.apiUrl}/webhooks/generic/conn_`));
    assert.match(html, /connector\.example\.com\/replies/);
  });

  it("answers 503 (retry) on a connection's webhook URL until HubSpot has created the account, 404 for an unknown one", async () => {
    const started = await world.startConnect();
    const { html } = await world.submitConnect(started, { provider: 'generic', accountName: 'Early bird' });
    const url = /(http:\/\/[^<"]+\/webhooks\/generic\/conn_[\w-]+)/.exec(html)![1]!;
    const early = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(early.status, 503);
    assert.equal(early.headers.get('retry-after'), '5');
    assert.equal(
      (await fetch(`${world.apiUrl}/webhooks/generic/conn_unknown`, { method: 'POST', body: '{}' })).status,
      404,
    );
  });

  it('refuses a bot that is already connected as a channel account, before touching its webhook', async () => {
    await world.store.upsertAccount({
      accountId: '424242' as never,
      portalId: world.portal.portalId,
      channelId: world.channelId,
      provider: 'telegram',
      name: 'Telegram @channel_bridge_bot',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `telegram:${world.telegram.bot.id}` },
      authorized: true,
      credentials: { botToken: world.telegram.token, secretToken: 's' },
    });
    const webhookBefore = bot().webhook?.url;
    const { status, html } = await world.submitConnect(await world.startConnect(), {
      provider: 'telegram',
      botToken: world.telegram.token,
    });
    assert.equal(status, 409);
    assert.match(html, /already connected to HubSpot as .*channel account 424242/);
    assert.equal(bot().webhook?.url, webhookBefore);
    await world.store.deleteAccount('424242');
  });

  it('refuses an unknown provider', async () => {
    const { status, html } = await world.submitConnect(await world.startConnect(), { provider: 'fax' });
    assert.equal(status, 400);
    assert.match(html, /Pick Telegram, WhatsApp, Twilio \(SMS\/MMS\) or another service\./);
  });
});

describe('connection page when the provider rejects setWebhook', () => {
  let world: ConnectWorld;
  before(async () => {
    // Telegram only takes http(s) webhook URLs: a bridge with a bad public URL is refused.
    world = await startConnectWorld({ publicUrl: () => 'ftp://bridge.invalid' });
  });
  after(async () => world.stop());

  it("shows Telegram's refusal with the fix, names nothing in HubSpot, stores nothing", async () => {
    const started = await world.startConnect();
    const { status, html } = await world.submitConnect(started, {
      provider: 'telegram',
      botToken: world.telegram.token,
    });
    assert.equal(status, 400);
    assert.match(html, /Setting the bot&#39;s webhook was refused: .*HTTPS URL.*BRIDGE_PUBLIC_URL/s);
    assert.equal(world.hubspotState.stagingTokens.get(started.accountToken)?.accountName, undefined);
    assert.equal(
      await world.store.findPendingConnection(world.portal.portalId, `telegram:${world.telegram.bot.id}`),
      undefined,
    );
  });
});

describe('connection page in OAuth mode', () => {
  let world: ConnectWorld;
  before(async () => {
    world = await startConnectWorld({ oauth: true });
  });
  after(async () => world.stop());

  it('refuses a portal that never installed the app, with the install link', async () => {
    const started = await world.startConnect();
    const res = await fetch(started.url);
    assert.equal(res.status, 403);
    assert.match(
      await res.text(),
      /not installed in HubSpot portal \d+: install the app first \(open \/oauth\/install\)/,
    );
    const posted = await world.submitConnect(started, { provider: 'generic', accountName: 'x' });
    assert.equal(posted.status, 403);
  });
});
