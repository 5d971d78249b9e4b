import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { withAccountCache } from '../../packages/bridge/src/store/account-cache.js';
import type { AccountWithCredentials, Store } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';

const account = (authorized = true, botToken = 'token-1'): AccountWithCredentials => ({
  accountId: asAccountId('acct-cache'),
  portalId: '1',
  channelId: '2',
  provider: 'generic',
  name: 'Connector',
  deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'connector' },
  authorized,
  credentials: { botToken },
});

/** The store with its account reads counted: what reaches the database. */
function counted(store: Store): { store: Store; reads: () => number } {
  let reads = 0;
  const wrapped = { ...store, getAccount: (id: string) => ((reads += 1), store.getAccount(id)) };
  return { store: wrapped, reads: () => reads };
}

describe('the account cache', () => {
  let base: Store;
  before(() => {
    base = tempStore().store;
  });
  after(async () => {
    await base.close();
  });

  it('reads an account once within its time to live, and again once it has passed', async () => {
    await base.upsertAccount(account());
    let clock = 0;
    const inner = counted(base);
    const store = withAccountCache(inner.store, { ttlMs: 1000, now: () => clock });
    await Promise.all([store.getAccount('acct-cache'), store.getAccount('acct-cache')]);
    await store.getAccount('acct-cache');
    assert.equal(inner.reads(), 1, 'concurrent and repeated reads share one');
    clock = 1000;
    await store.getAccount('acct-cache');
    assert.equal(inner.reads(), 2);
  });

  it('reads the new row after every account write made through it', async () => {
    const inner = counted(base);
    const store = withAccountCache(inner.store, { ttlMs: 60_000 });
    await store.upsertAccount(account(true, 'token-1'));
    assert.equal((await store.getAccount('acct-cache'))?.credentials.botToken, 'token-1');
    await store.upsertAccount(account(true, 'token-2'));
    assert.equal((await store.getAccount('acct-cache'))?.credentials.botToken, 'token-2', 'new credentials');
    await store.updateAccountState('acct-cache', { authorized: true, name: 'Renamed', inboxId: '9' });
    assert.equal((await store.getAccount('acct-cache'))?.name, 'Renamed', 'edited in HubSpot');
    await store.deleteAccount('acct-cache');
    assert.equal(await store.getAccount('acct-cache'), undefined, 'removed');
  });

  it('keeps neither a miss nor a turned-off account, so a held reply always sees the account come back', async () => {
    const inner = counted(base);
    const store = withAccountCache(inner.store, { ttlMs: 60_000 });
    assert.equal(await store.getAccount('acct-cache'), undefined);
    await base.upsertAccount(account(false)); // another process connects it, turned off
    assert.equal((await store.getAccount('acct-cache'))?.authorized, false, 'a miss is not remembered');
    await base.upsertAccount(account(true)); // another process turns it on
    assert.equal((await store.getAccount('acct-cache'))?.authorized, true, 'a turned-off account is not remembered');
    assert.equal(inner.reads(), 3);
  });

  it('leaves every other method of the store as it is', async () => {
    const store = withAccountCache(base);
    await store.ping();
    assert.deepEqual(
      (await store.listAccounts()).map((a) => a.accountId),
      ['acct-cache'],
    );
  });
});
