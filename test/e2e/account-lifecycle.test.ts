import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { signV3 } from '../../packages/sandbox/src/hubspot/webhooks.js';
import { startConnectWorld, type ConnectWorld } from '../helpers/connect.js';
import { waitFor } from '../helpers/temporal.js';

/**
 * The whole lifecycle on a real Temporal server: connect a Telegram bot from HubSpot's settings, then turn it off and
 * on, move it to the help desk and remove it, each through the sandbox admin actions that send CHANNEL_ACCOUNT_*.
 */
describe('channel account lifecycle (CHANNEL_ACCOUNT_CREATED / UPDATED / PURGED)', { timeout: 300_000 }, () => {
  let world: ConnectWorld;
  let accountId: string;
  const customer = { id: 7001, first_name: 'Ana' };

  before(async () => {
    world = await startConnectWorld({ worker: true });
  });
  after(async () => world.stop());

  const say = async (text: string) => {
    const res = await world.telegram.control(`/bots/${world.telegram.bot.id}/messages`, { text, from: customer });
    assert.equal(res.status, 201, await res.clone().text());
  };
  const inHubSpot = (text: string) =>
    [...world.hubspotState.messages.values()].find((m) => m.text.includes(text) && m.channelAccountId === accountId);
  const held = async () => {
    const found = [];
    for await (const w of world.client.workflow.list({
      query: `BridgeAccountId = "${accountId}" AND BridgeStatus = "HELD" AND ExecutionStatus = "Running"`,
    }))
      found.push(w);
    return found.length ? found : undefined;
  };
  const edit = async (body: Record<string, unknown>) =>
    assert.equal((await world.sandboxAdmin('PATCH', `/channel-accounts/${accountId}`, body)).status, 200);

  it('records the account when HubSpot creates it, and a customer message reaches the inbox', async () => {
    const started = await world.startConnect();
    assert.equal(
      (await world.submitConnect(started, { provider: 'telegram', botToken: world.telegram.token })).status,
      200,
    );
    const finished = await world.sandboxAdmin('POST', `/connect/${started.accountToken}/finish`);
    accountId = ((await finished.json()) as { id: string }).id;

    const account = await waitFor(() => world.store.getAccount(accountId), 30_000, 'the account in the store');
    assert.equal(account.provider, 'telegram');
    assert.equal(account.credentials.botToken, world.telegram.token);
    assert.equal((await world.store.findConnectionByAccount(accountId))?.status, 'connected');

    await say('Hello from Telegram');
    const message = await waitFor(() => inHubSpot('Hello from Telegram'), 30_000, 'the message in HubSpot');
    assert.equal(message.direction, 'INCOMING');
  });

  it('turned off, it holds new messages; turned back on, it flushes them', async () => {
    await edit({ authorized: false });
    await waitFor(
      async () => ((await world.store.getAccount(accountId))?.authorized === false ? true : undefined),
      30_000,
      'authorized false in the store',
    );
    await say('Written while off');
    await waitFor(held, 30_000, 'a HELD workflow');
    assert.equal(inHubSpot('Written while off'), undefined);

    await edit({ authorized: true });
    await waitFor(() => inHubSpot('Written while off'), 60_000, 'the held message published after turning on');
    assert.equal((await world.store.getAccount(accountId))?.authorized, true);
  });

  it('keeps working after a move to the help desk, under its new inbox', async () => {
    const helpDesk = [...world.hubspotState.inboxes.values()].find(
      (i) => i.type === 'HELP_DESK' && i.portalId === world.portal.portalId,
    )!;
    await edit({ inboxId: helpDesk.id });
    await waitFor(
      async () =>
        (await world.store.listAccounts()).find((a) => a.accountId === accountId)?.inboxId === helpDesk.id
          ? true
          : undefined,
      30_000,
      'the new inbox in the store',
    );
    await say('Now in the help desk');
    await waitFor(() => inHubSpot('Now in the help desk'), 30_000, 'the message after the move');
    assert.equal(world.hubspotState.channelAccounts.get(accountId)?.inboxId, helpDesk.id);
  });

  it('removed, it deletes the credentials, unregisters the bot webhook and ends held messages with a reason', async () => {
    await edit({ authorized: false });
    await waitFor(
      async () => ((await world.store.getAccount(accountId))?.authorized === false ? true : undefined),
      30_000,
      'turned off',
    );
    await say('Held when removed');
    const [heldRun] = await waitFor(held, 30_000, 'a HELD workflow');

    assert.equal((await world.sandboxAdmin('DELETE', `/channel-accounts/${accountId}`)).status, 200);
    await waitFor(
      async () => ((await world.store.getAccount(accountId)) ? undefined : true),
      30_000,
      'credentials deleted',
    );
    assert.equal((await world.store.findConnectionByAccount(accountId))?.status, 'removed');
    assert.equal(
      world.telegram.state.bots.get(world.telegram.bot.id)?.webhook?.url ?? '',
      '',
      'deleteWebhook was called',
    );

    await assert.rejects(world.client.workflow.getHandle(heldRun!.workflowId).result(), (e: unknown) => {
      assert.ok(e instanceof WorkflowFailedError);
      assert.match(String((e.cause as Error | undefined)?.message), /removed/);
      return true;
    });
    assert.equal(inHubSpot('Held when removed'), undefined);
  });

  it('ignores an account event without usable ids, and an account it never connected', async () => {
    const post = async (event: Record<string, unknown>) => {
      const body = JSON.stringify(event);
      const timestamp = Date.now();
      const url = `${world.apiUrl}/webhooks/hubspot`;
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': String(timestamp),
          'x-hubspot-signature-v3': signV3(world.hubspotState.app.clientSecret, 'POST', url, body, timestamp),
        },
        body,
      });
    };
    const bad = await post({
      type: 'CHANNEL_ACCOUNT_UPDATED',
      eventId: 'e-bad',
      portalId: world.portal.portalId,
      channelId: world.channelId,
      channelAccountId: 'not-a-number',
    });
    assert.equal(bad.status, 200);

    // An account made through the API (not through this bridge's page): HubSpot has it, the bridge has no credentials.
    const made = await fetch(
      `${world.hubspotUrl}/conversations/v3/custom-channels/${world.channelId}/channel-accounts`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${world.portal.accessToken}` },
        body: JSON.stringify({
          inboxId: world.portal.inboxId,
          name: 'Made elsewhere',
          authorized: true,
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'elsewhere' },
        }),
      },
    );
    const other = ((await made.json()) as { id: string }).id;
    assert.equal(
      (
        await post({
          type: 'CHANNEL_ACCOUNT_CREATED',
          eventId: 'e-other',
          portalId: world.portal.portalId,
          channelId: world.channelId,
          channelAccountId: other,
        })
      ).status,
      200,
    );
    // The account workflow re-read it (one activity completed) and left the store alone.
    await waitFor(
      async () => {
        const history = await world.client.workflow.getHandle(`account:${other}`).fetchHistory();
        return history.events?.some((e) => e.activityTaskCompletedEventAttributes) ? true : undefined;
      },
      30_000,
      'the account workflow to re-read the account',
    );
    assert.equal(await world.store.getAccount(other), undefined);
    assert.equal(
      (await world.store.listAccounts()).some((a) => a.name === 'Made elsewhere'),
      false,
    );
  });
});
