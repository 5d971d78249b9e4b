import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAccountActivities, type AccountSync } from '../../packages/bridge/src/activities/account-lifecycle.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createChannelAccountsClient } from '../../packages/bridge/src/hubspot/channel-accounts.js';
import { addPortal } from '../../packages/sandbox/src/hubspot/state.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

/**
 * Reading a channel account as HubSpot documents `archived` ("return only results that have been archived", default
 * false), and what the lifecycle makes of each answer: only an archived read or a PURGED event removes credentials.
 */
describe('channel-account reads and the removal decision', () => {
  let hs: Sandbox;
  let channelId: string;
  let store: Store;
  before(async () => {
    hs = await startSandbox();
    channelId = (await hs.registerChannel()).id;
    store = tempStore().store;
  });
  after(async () => {
    await store.close();
    await hs.close();
  });

  const client = (token = hs.portal.accessToken) =>
    createChannelAccountsClient({ baseUrl: hs.url, channelId, accessTokenFor: async () => token });
  const activities = () => createAccountActivities({ store, channelAccounts: client() });
  const sync = (accountId: string, eventType?: string) =>
    new MockActivityEnvironment().run(
      activities().syncChannelAccount,
      hs.portal.portalId,
      accountId,
      eventType,
    ) as Promise<AccountSync>;
  const remove = (accountId: string) => hs.call('DELETE', `/_sandbox/channel-accounts/${accountId}`, { token: null });
  const remember = async (accountId: string, deliveryIdentifier: { type: string; value: string }) => {
    await store.upsertAccount({
      accountId: asAccountId(accountId),
      portalId: hs.portal.portalId,
      channelId,
      provider: 'generic',
      name: 'Acme Support',
      deliveryIdentifier: deliveryIdentifier as never,
      authorized: true,
      credentials: { signingSecret: 'whsec_test' },
    });
  };

  describe('the sandbox answers archived as documented', () => {
    const path = (id: string) => `/conversations/v3/custom-channels/${channelId}/channel-accounts/${id}`;

    it('reads a live account without the parameter or with archived=false, and 404s it with archived=true', async () => {
      const account = await hs.createAccount(channelId);
      assert.equal((await hs.call('GET', path(account.id))).status, 200);
      assert.equal((await hs.call('GET', `${path(account.id)}?archived=false`)).status, 200);
      assert.equal((await hs.call('GET', `${path(account.id)}?archived=true`)).status, 404);
    });

    it('reads an archived account only with archived=true, in the item and the list', async () => {
      const account = await hs.createAccount(channelId);
      await remove(account.id);
      assert.equal((await hs.call('GET', path(account.id))).status, 404);
      assert.equal((await hs.call('GET', `${path(account.id)}?archived=true`)).body.archived, true);
      const list = `/conversations/v3/custom-channels/${channelId}/channel-accounts`;
      assert.ok(
        (await hs.call('GET', `${list}?archived=true`)).body.results.some((a: { id: string }) => a.id === account.id),
      );
      assert.ok(!(await hs.call('GET', list)).body.results.some((a: { id: string }) => a.id === account.id));
    });
  });

  describe('lookUpAccount', () => {
    it('says live for a live account, archived for a removed one, and not-found for an unknown id', async () => {
      const live = await hs.createAccount(channelId);
      const gone = await hs.createAccount(channelId);
      await remove(gone.id);
      assert.equal((await client().lookUpAccount(hs.portal.portalId, live.id)).state, 'live');
      const archived = await client().lookUpAccount(hs.portal.portalId, gone.id);
      assert.deepEqual(
        [archived.state, archived.state === 'archived' && archived.account.archived],
        ['archived', true],
      );
      assert.equal((await client().lookUpAccount(hs.portal.portalId, '999999999')).state, 'not-found');
    });

    it("says not-found, not archived, when the token cannot see the account (another portal's)", async () => {
      const account = await hs.createAccount(channelId);
      const other = addPortal(hs.state);
      assert.equal((await client(other.accessToken).lookUpAccount(hs.portal.portalId, account.id)).state, 'not-found');
    });
  });

  describe('syncChannelAccount', () => {
    it('removes an account HubSpot reads back as archived', async () => {
      const account = await hs.createAccount(channelId);
      await remember(account.id, account.deliveryIdentifier);
      await remove(account.id);
      assert.equal((await sync(account.id, 'CHANNEL_ACCOUNT_PURGED')).outcome, 'removed');
      assert.equal((await sync(account.id)).outcome, 'removed');
    });

    it('keeps the credentials when neither read finds the account and no PURGED event says so', async () => {
      await remember('888888881', { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'kept' });
      const synced = await sync('888888881', 'CHANNEL_ACCOUNT_UPDATED');
      assert.equal(synced.outcome, 'unknown');
      assert.ok(await store.getAccount('888888881'), 'the credentials are still stored');
      assert.equal((await sync('888888881')).outcome, 'unknown');
    });

    it('removes on a PURGED event when HubSpot no longer has the account at all', async () => {
      assert.equal((await sync('888888882', 'CHANNEL_ACCOUNT_PURGED')).outcome, 'removed');
    });

    it('records an account HubSpot turned off (active false) as off, and on again when active', async () => {
      const account = await hs.createAccount(channelId);
      await remember(account.id, account.deliveryIdentifier);
      const setActive = (active: boolean) =>
        hs.call('PATCH', `/_sandbox/channel-accounts/${account.id}`, { token: null, json: { active } });
      assert.equal((await setActive(false)).status, 200);
      assert.deepEqual(
        [(await sync(account.id)).authorized, (await store.getAccount(account.id))?.authorized],
        [false, false],
      );
      await setActive(true);
      assert.deepEqual(
        [(await sync(account.id)).authorized, (await store.getAccount(account.id))?.authorized],
        [true, true],
      );
    });
  });
});
