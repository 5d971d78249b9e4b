import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { asAccountId, conversationKey } from '../../packages/bridge/src/domain/ids.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';

const account: AccountWithCredentials = {
  accountId: asAccountId('555'),
  portalId: '123',
  channelId: '1234',
  provider: 'generic',
  name: 'Support line',
  deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'support' },
  authorized: true,
  credentials: { signingSecret: 'whsec_c3VwZXItc2VjcmV0LXNpZ25pbmcta2V5' },
};

describe('SQLite store', () => {
  it('round-trips an account and keeps its credentials encrypted on disk', async () => {
    const { store, file } = tempStore();
    await store.upsertAccount(account);
    assert.deepEqual(await store.getAccount('555'), account);
    await store.close();
    const bytes =
      fs.readFileSync(file).toString('latin1') +
      (fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`).toString('latin1') : '');
    assert.ok(!bytes.includes('c3VwZXItc2VjcmV0LXNpZ25pbmcta2V5'), 'the signing secret is stored in clear text');
  });

  it('applies migrations once, so reopening keeps the data', async () => {
    const { store, file, key } = tempStore();
    await store.upsertAccount(account);
    await store.close();
    const reopened = openSqliteStore({ path: file, encryptionKey: key });
    assert.equal((await reopened.getAccount('555'))?.name, 'Support line');
    await reopened.close();
  });

  it('refuses to open credentials with a different key, saying which key sealed them', async () => {
    const { store, file } = tempStore();
    await store.upsertAccount(account);
    await store.close();
    const wrongKey = openSqliteStore({ path: file, encryptionKey: randomBytes(32) });
    await assert.rejects(wrongKey.getAccount('555'), /sealed with key \w{8}, but the configured key is \w{8}/);
    await wrongKey.close();
  });

  it('records a message mapping once, whatever the number of attempts', async () => {
    const { store } = tempStore();
    const mapping = {
      messageKey: 'inbound:555:m-1',
      direction: 'inbound' as const,
      accountId: account.accountId,
      conversationKey: conversationKey(account.accountId, 'chat-1'),
      providerMessageId: 'm-1',
      hubspotMessageId: 'hs-1',
      hubspotThreadId: 't-1',
    };
    await store.recordMessage(mapping);
    await store.recordMessage({ ...mapping, hubspotMessageId: 'hs-2' });
    assert.deepEqual(await store.findMessage('inbound:555:m-1'), mapping);
    assert.equal(await store.findMessage('inbound:555:unknown'), undefined);
    await store.close();
  });
});
