import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { tempStore } from '../helpers/bridge.js';
import { cli, startAdminApi } from './support/cli.js';

const TOKEN = 'admin-token-for-cli-accounts-0123';
const BOT_TOKEN = '7771234:AAF-secret-bot-token-never-printed';
const SIGNING_SECRET = 'whsec_c2VjcmV0LW5ldmVyLXByaW50ZWQ=';

const accounts: AccountWithCredentials[] = [
  {
    accountId: asAccountId('5001'),
    portalId: '243842089',
    channelId: '1234',
    provider: 'telegram',
    name: 'Support bot',
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'support_bot' },
    authorized: true,
    credentials: { botToken: BOT_TOKEN, secretToken: 'telegram-secret-token' },
  },
  {
    accountId: asAccountId('5002'),
    portalId: '243842089',
    channelId: '1234',
    provider: 'generic',
    name: 'Web chat',
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'web-chat' },
    authorized: false,
    credentials: { signingSecret: SIGNING_SECRET },
  },
];

describe('channel-bridge accounts', { timeout: 120_000 }, () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let env: Record<string, string>;
  before(async () => {
    const { store } = tempStore();
    for (const account of accounts) await store.upsertAccount(account);
    api = await startAdminApi(store, TOKEN);
    env = { BRIDGE_ADMIN_TOKEN: TOKEN, BRIDGE_PUBLIC_URL: api.url };
  });
  after(() => api?.close());

  const assertNoSecret = (text: string) => {
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, 'telegram-secret-token'])
      assert.ok(!text.includes(secret), 'a credential was printed');
  };

  it('lists every connected account with its id, provider, portal, on or off and name', async () => {
    const run = await cli(['accounts', 'list'], env);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0]!, /^ACCOUNT\s+PROVIDER\s+PORTAL\s+ON\/OFF\s+NAME$/);
    assert.match(lines[1]!, /^5001\s+telegram\s+243842089\s+on\s+Support bot$/);
    assert.match(lines[2]!, /^5002\s+generic\s+243842089\s+off\s+Web chat$/);
    assertNoSecret(run.stdout + run.stderr);
  });

  it('prints the same as JSON with --json, without credentials', async () => {
    const run = await cli(['accounts', 'list', '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    const listed = JSON.parse(run.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      listed.map((a) => [a.accountId, a.provider, a.portalId, a.authorized, a.name]),
      [
        ['5001', 'telegram', '243842089', true, 'Support bot'],
        ['5002', 'generic', '243842089', false, 'Web chat'],
      ],
    );
    assert.ok(listed.every((a) => !('credentials' in a)));
    assertNoSecret(run.stdout);
  });

  it('shows one account, as text and as JSON', async () => {
    const text = await cli(['accounts', 'show', '5002'], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^account\s+5002$/m);
    assert.match(text.stdout, /^on\/off\s+off \(turned off in HubSpot: its messages are held\)$/m);
    assert.match(text.stdout, /^speaks as\s+web-chat \(CHANNEL_SPECIFIC_OPAQUE_ID\)$/m);
    const json = await cli(['accounts', 'show', '5001', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { name: string }).name, 'Support bot');
    assertNoSecret(text.stdout + json.stdout);
  });

  it('exits 3 for an unknown account, 2 without the admin token or with a wrong one, 4 when the api is unreachable', async () => {
    const unknown = await cli(['accounts', 'show', '9999'], env);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /no account 9999 is connected/);
    const noToken = await cli(['accounts', 'list'], { BRIDGE_PUBLIC_URL: api.url });
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /set BRIDGE_ADMIN_TOKEN or pass --admin-token/);
    assert.equal((await cli(['accounts', 'list', '--admin-token', 'not-the-admin-token-at-all'], env)).code, 2);
    assert.equal((await cli(['accounts', 'list', '--api-url', 'http://127.0.0.1:1'], env)).code, 4);
  });

  it('exits 2 for a missing account id or an unknown flag', async () => {
    const missing = await cli(['accounts', 'show'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required argument 'accountId'/);
    assert.equal((await cli(['accounts', 'list', '--bogus'], env)).code, 2);
  });
});
