import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDemoAccount, randomSecret, type SeedContext } from '../../packages/dev-tools/src/local/demo-seed.js';
import { createBot } from '../../packages/sandbox/src/telegram/bots.js';
import { seedContextOf, startConnectWorld, type ConnectWorld } from '../helpers/connect.js';
import { waitFor } from '../helpers/temporal.js';

/**
 * "Removing an account never touches another account's webhook" (issue 16): every way an account or a connection
 * goes (HubSpot's CHANNEL_ACCOUNT_PURGED through the account workflow on a real Temporal server, a connection given
 * up half-way) deletes a Telegram webhook only while it still points at that account's own URL.
 */
describe('removing an account leaves other webhooks alone', { timeout: 180_000 }, () => {
  let world: ConnectWorld;
  let seed: SeedContext;
  before(async () => {
    world = await startConnectWorld({ worker: true });
    seed = seedContextOf(world);
  });
  after(async () => world.stop());

  type SandboxBot = ReturnType<typeof createBot>;
  let bots = 0;
  const newBot = () => createBot(world.telegram.state, { username: `removal_${(bots += 1)}_bot` });
  const connect = async (bot: SandboxBot) => {
    const started = await world.startConnect();
    const page = await world.submitConnect(started, { provider: 'telegram', botToken: bot.token });
    assert.equal(page.status, 200, page.html);
    const finished = await world.sandboxAdmin('POST', `/connect/${started.accountToken}/finish`);
    const accountId = ((await finished.json()) as { id: string }).id;
    await waitFor(() => world.store.getAccount(accountId), 30_000, 'the account in the store');
    return accountId;
  };
  const remove = async (accountId: string) => {
    assert.equal((await world.sandboxAdmin('DELETE', `/channel-accounts/${accountId}`)).status, 200);
    await waitFor(
      async () => ((await world.store.getAccount(accountId)) ? undefined : true),
      30_000,
      `account ${accountId} purged`,
    );
  };
  const say = async (bot: SandboxBot, text: string) => {
    const res = await world.telegram.control(`/bots/${bot.id}/messages`, {
      text,
      from: { id: 8801, first_name: 'Ana' },
    });
    assert.equal(res.status, 201, await res.clone().text());
  };

  it("purging a second account of the same bot (as older releases let happen) keeps the first one's webhook", async () => {
    const bot = newBot();
    const first = await connect(bot);
    const webhook = bot.webhook?.url;
    assert.match(webhook ?? '', /\/webhooks\/telegram\/conn_/);
    // The second account the old connection page (or a configuration) made for the same bot: in HubSpot and the store.
    const second = await connectDemoAccount(
      seed,
      'telegram',
      'Same bot again',
      { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `dup-${bot.id}` },
      { botToken: bot.token, secretToken: randomSecret(18) },
    );

    await remove(second.channelAccountId);
    assert.equal(bot.webhook?.url, webhook, "the first account's webhook was deleted");
    await say(bot, 'Still reaching the first account');
    await waitFor(
      () =>
        [...world.hubspotState.messages.values()].find(
          (m) => m.text.includes('Still reaching') && m.channelAccountId === first,
        ),
      30_000,
      'the message in HubSpot',
    );

    await remove(first);
    assert.equal(bot.webhook?.url ?? '', '', 'its own webhook is deleted');
    assert.equal(
      (await world.submitConnect(await world.startConnect(), { provider: 'telegram', botToken: bot.token })).status,
      200,
      'the bot is free again',
    );
  });

  it('purging an account whose bot now points somewhere else leaves that webhook alone', async () => {
    const bot = newBot();
    const accountId = await connect(bot);
    const elsewhere = 'https://another-service.example.test/telegram/hook';
    assert.equal((await world.telegram.api('setWebhook', { url: elsewhere }, bot.token)).status, 200);
    await remove(accountId);
    assert.equal(bot.webhook?.url, elsewhere);
  });

  it('a connection given up after its webhook was set removes the webhook only while it is still its own', async () => {
    const bot = newBot();
    const started = await world.startConnect();
    // HubSpot answers the staging-token PATCH slowly; meanwhile the link expires and the bot is pointed elsewhere.
    await world.sandboxAdmin('POST', '/faults', {
      kind: 'latency',
      latencyMs: 500,
      pathContains: 'channel-account-staging-tokens',
      count: 1,
    });
    const submitted = world.submitConnect(started, { provider: 'telegram', botToken: bot.token });
    await waitFor(
      () => (bot.webhook?.url.includes('/webhooks/telegram/conn_') ? true : undefined),
      10_000,
      'the popup to set the webhook',
    );
    world.hubspotState.stagingTokens.delete(started.accountToken);
    const elsewhere = 'https://another-service.example.test/telegram/taken-meanwhile';
    assert.equal((await world.telegram.api('setWebhook', { url: elsewhere }, bot.token)).status, 200);

    const { status, html } = await submitted;
    assert.equal(status, 410, html);
    assert.equal(bot.webhook?.url, elsewhere, 'the undo deleted a webhook that was no longer its own');
  });
});
