import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addPortal } from '../../packages/sandbox/src/hubspot/state.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/** Channel accounts and the staging-token connection flow, with the portal's bearer token. */
describe('HubSpot sandbox: channel accounts and staging tokens', () => {
  let hs: Sandbox;
  let channelId: string;
  before(async () => {
    hs = await startSandbox();
    channelId = (
      await hs.registerChannel({
        channelAccountConnectionRedirectUrl: 'https://bridge.example.com/hubspot/connect?lang=en',
      })
    ).id;
  });
  after(() => hs.close());
  const accounts = () => `/conversations/v3/custom-channels/${channelId}/channel-accounts`;

  it('creates an account in the portal inbox and reads it back', async () => {
    const account = await hs.createAccount(channelId, { name: 'Support line' });
    const got = await hs.call('GET', `${accounts()}/${account.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(
      [got.body.name, got.body.authorized, got.body.active, got.body.archived, got.body.channelId],
      ['Support line', true, true, false, channelId],
    );
  });

  it('refuses calls without a bearer token or with an unknown one', async () => {
    assert.equal((await hs.call('GET', accounts(), { token: null })).status, 401);
    const wrong = await hs.call('GET', accounts(), { token: 'pat-na1-not-a-token' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.category, 'INVALID_AUTHENTICATION');
  });

  it('refuses an account for an inbox of another portal, or with an identifier type the channel does not use', async () => {
    const foreign = await hs.call('POST', accounts(), { json: { inboxId: '1', name: 'x', authorized: true } });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.errors[0].in, 'inboxId');
    const wrongType = await hs.call('POST', accounts(), {
      json: {
        inboxId: hs.portal.inboxId,
        name: 'x',
        authorized: true,
        deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: 'a@b.c' },
      },
    });
    assert.equal(wrongType.status, 400);
  });

  it('answers VALIDATION_ERROR for a missing authorized flag and a bad identifier type', async () => {
    const res = await hs.call('POST', accounts(), {
      json: { inboxId: hs.portal.inboxId, name: 'x', deliveryIdentifier: { type: 'EMAIL', value: 'a' } },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors.map((e: { in: string }) => e.in).sort(), [
      'authorized',
      'deliveryIdentifier.type',
    ]);
  });

  it('lists accounts filtered by delivery identifier, and archived ones only when asked', async () => {
    const account = await hs.createAccount(channelId);
    const byValue = await hs.call(
      'GET',
      `${accounts()}?deliveryIdentifierValue=${encodeURIComponent(account.deliveryIdentifier.value)}`,
    );
    assert.deepEqual(
      byValue.body.results.map((a: { id: string }) => a.id),
      [account.id],
    );
    const archived = await hs.call('GET', `${accounts()}?archived=true`);
    assert.equal(archived.body.results.length, 0);
  });

  it('turns an account off and renames it, but will not move it or change its identifier through the API', async () => {
    const account = await hs.createAccount(channelId);
    const off = await hs.call('PATCH', `${accounts()}/${account.id}`, {
      json: { authorized: false, name: 'Paused line' },
    });
    assert.deepEqual([off.body.authorized, off.body.name], [false, 'Paused line']);
    const move = await hs.call('PATCH', `${accounts()}/${account.id}`, { json: { inboxId: hs.portal.inboxId } });
    assert.equal(move.status, 400);
  });

  it("hides another portal's accounts (404)", async () => {
    const account = await hs.createAccount(channelId);
    const other = addPortal(hs.state);
    const res = await hs.call('GET', `${accounts()}/${account.id}`, { token: other.accessToken });
    assert.equal(res.status, 404);
  });

  it('refuses admin edits to an unknown or removed account, an empty name and a foreign inbox', async () => {
    const edit = (id: string, json: unknown) =>
      hs.call('PATCH', `/_sandbox/channel-accounts/${id}`, { token: null, json });
    assert.equal((await edit('1', { name: 'x' })).status, 404);
    const account = await hs.createAccount(channelId);
    assert.equal((await edit(account.id, { name: '' })).status, 400);
    assert.equal((await edit(account.id, { inboxId: '1' })).status, 404);
    assert.equal((await hs.call('DELETE', `/_sandbox/channel-accounts/${account.id}`, { token: null })).status, 200);
    assert.equal((await edit(account.id, { authorized: true })).status, 404);
    assert.equal((await hs.call('DELETE', `/_sandbox/channel-accounts/${account.id}`, { token: null })).status, 404);
  });

  describe('connection flow', () => {
    const stagingPath = (token: string) =>
      `/conversations/v3/custom-channels/${channelId}/channel-account-staging-tokens/${token}`;
    const connect = async () =>
      (await hs.call('POST', '/_sandbox/connect', { token: null, json: { channelId } })).body as {
        accountToken: string;
        url: string;
      };

    it('opens the connection page with the account token, portal, channel and inbox, keeping its own query', async () => {
      const started = await connect();
      const url = new URL(started.url);
      assert.equal(url.origin + url.pathname, 'https://bridge.example.com/hubspot/connect');
      assert.equal(url.searchParams.get('lang'), 'en');
      assert.equal(url.searchParams.get('accountToken'), started.accountToken);
      assert.equal(url.searchParams.get('portalId'), hs.portal.portalId);
      assert.equal(url.searchParams.get('channelId'), channelId);
      assert.equal(url.searchParams.get('inboxId'), hs.portal.inboxId);
    });

    it('lets the integration name the account on the staging token, then creates it when the admin finishes', async () => {
      const { accountToken } = await connect();
      const updated = await hs.call('PATCH', stagingPath(accountToken), {
        json: {
          accountName: 'Acme bot',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-bot-42' },
        },
      });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.genericChannelId, Number(channelId));
      assert.equal(updated.body.inboxId, Number(hs.portal.inboxId));
      assert.equal(updated.body.userId, hs.portal.userId);
      const finished = await hs.call('POST', `/_sandbox/connect/${accountToken}/finish`, { token: null });
      assert.equal(finished.status, 201);
      const account = await hs.call('GET', `${accounts()}/${finished.body.id}`);
      assert.deepEqual(
        [account.body.name, account.body.deliveryIdentifier.value, account.body.inboxId],
        ['Acme bot', 'acme-bot-42', hs.portal.inboxId],
      );
    });

    it('answers 409 for a staging token that was already used, on the API and on finish', async () => {
      const { accountToken } = await connect();
      await hs.call('PATCH', stagingPath(accountToken), { json: { accountName: 'Once' } });
      await hs.call('POST', `/_sandbox/connect/${accountToken}/finish`, { token: null });
      const again = await hs.call('PATCH', stagingPath(accountToken), { json: { accountName: 'Twice' } });
      assert.equal(again.status, 409);
      assert.equal(again.body.category, 'CONFLICT');
      assert.equal((await hs.call('POST', `/_sandbox/connect/${accountToken}/finish`, { token: null })).status, 409);
    });

    it('will not finish before the integration named the account, and 404s an unknown token', async () => {
      const { accountToken } = await connect();
      assert.equal((await hs.call('POST', `/_sandbox/connect/${accountToken}/finish`, { token: null })).status, 400);
      assert.equal((await hs.call('PATCH', stagingPath('no-such-token'), { json: { accountName: 'x' } })).status, 404);
    });

    it('refuses to connect a channel without a connection page, or into an inbox of no portal', async () => {
      const bare = await hs.registerChannel({ name: 'No connect page' });
      const res = await hs.call('POST', '/_sandbox/connect', { token: null, json: { channelId: bare.id } });
      assert.equal(res.status, 400);
      assert.match(res.body.message, /no channelAccountConnectionRedirectUrl/);
      assert.equal(
        (await hs.call('POST', '/_sandbox/connect', { token: null, json: { channelId, inboxId: '1' } })).status,
        404,
      );
      assert.equal((await hs.call('POST', '/_sandbox/connect', { token: null, json: {} })).status, 400);
    });

    it('finishes from the browser through the redirectUrl it gave the connection page', async () => {
      const started = await connect();
      await hs.call('PATCH', stagingPath(started.accountToken), { json: { accountName: 'Browser' } });
      const res = await fetch(new URL(started.url).searchParams.get('redirectUrl')!);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /Browser is now connected/);
    });
  });
});
