import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { openPostgresStore } from '../../packages/bridge/src/store/postgres.js';
import type { ClaimCutoffs, ProviderClaim } from '../../packages/bridge/src/store/provider-claims-store.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { Store } from '../../packages/bridge/src/store/types.js';
import { testDatabases } from '../helpers/test-databases.js';

const root = path.resolve(import.meta.dirname, '../..');
const databases = testDatabases('bridge_claims');
after(() => databases.dropAll());

interface Backend {
  readonly name: string;
  readonly skip: string | false;
  /** A new database; `open` may be called several times for several independent stores (processes) on it. */
  fresh(): Promise<{ open: () => Promise<Store>; location: string }>;
}

const key = randomBytes(32);
const backends: Backend[] = [
  {
    name: 'SQLite',
    skip: false,
    async fresh() {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-claims-')), 'bridge.sqlite');
      return { open: async () => openSqliteStore({ path: file, encryptionKey: key }), location: file };
    },
  },
  {
    name: 'PostgreSQL',
    skip: process.env.BRIDGE_TEST_DATABASE_URL
      ? false
      : 'BRIDGE_TEST_DATABASE_URL is not set (npm test provisions PostgreSQL)',
    async fresh() {
      const url = await databases.create();
      return { open: () => openPostgresStore({ url, encryptionKey: key }), location: url };
    },
  },
];

const HOUR = 3_600_000;
/** Cutoffs as the connection page uses them: pending for an hour, connecting for ten minutes. */
const live = (): ClaimCutoffs => ({
  pendingSince: new Date(Date.now() - HOUR).toISOString(),
  connectingSince: new Date(Date.now() - HOUR / 6).toISOString(),
});
/** Cutoffs in the future: every pending or connecting holder counts as abandoned. */
const lapsed = (): ClaimCutoffs => ({
  pendingSince: new Date(Date.now() + HOUR).toISOString(),
  connectingSince: new Date(Date.now() + HOUR).toISOString(),
});

const claim = (connectionId: string, identity = 'telegram:bot:1001'): ProviderClaim => ({
  identity,
  connectionId,
  portalId: '123',
  provider: 'telegram',
  name: `Telegram via ${connectionId}`,
});
const pending = (store: Store, connectionId: string) =>
  store.addPendingConnection(
    {
      connectionId,
      portalId: '123',
      channelId: '9',
      provider: 'telegram',
      name: `Telegram via ${connectionId}`,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'telegram:1001' },
    },
    { botToken: '1001:secret' },
  );

/** Runs `count` claims of one identity, each from its own process with its own store, started together. */
async function raceInProcesses(backend: Backend, location: string, count: number): Promise<(string | null)[]> {
  const startAt = Date.now() + 4000; // after every racer has loaded tsx and opened its store
  const open =
    backend.name === 'SQLite'
      ? `(await import(${JSON.stringify(path.join(root, 'packages/bridge/src/store/sqlite.js'))})).openSqliteStore({ path: ${JSON.stringify(location)}, encryptionKey: key })`
      : `await (await import(${JSON.stringify(path.join(root, 'packages/bridge/src/store/postgres.js'))})).openPostgresStore({ url: ${JSON.stringify(location)}, encryptionKey: key })`;
  const run = (i: number) =>
    new Promise<string | null>((resolve, reject) => {
      const script = `const key = Buffer.from(${JSON.stringify(key.toString('base64'))}, 'base64'); const store = ${open};
        await new Promise((r) => setTimeout(r, ${startAt} - Date.now()));
        const holder = await store.claimProviderIdentity(${JSON.stringify(claim(`conn_p${i}`, 'telegram:bot:2002'))}, ${JSON.stringify(live())});
        await store.close(); process.stdout.write(JSON.stringify(holder ?? null));`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) =>
        code === 0
          ? resolve(JSON.parse(out) === null ? null : out)
          : reject(new Error(`racer ${i} exited ${code}: ${err}`)),
      );
    });
  return Promise.all(Array.from({ length: count }, (_, i) => run(i)));
}

for (const backend of backends) {
  describe(`provider claims on ${backend.name}`, { skip: backend.skip, timeout: 120_000 }, () => {
    it('gives a free identity to the first connection, names it to the next, and is idempotent for its holder', async () => {
      const store = await (await backend.fresh()).open();
      assert.equal(await store.claimProviderIdentity(claim('conn_a'), live()), undefined);
      assert.equal(await store.claimProviderIdentity(claim('conn_a'), live()), undefined);
      const holder = await store.claimProviderIdentity(claim('conn_b'), live());
      assert.equal(holder?.state, 'connecting');
      assert.equal(holder?.name, 'Telegram via conn_a');
      assert.equal(holder?.portalId, '123');
      assert.equal(
        await store.claimProviderIdentity(claim('conn_b', 'telegram:bot:other'), live()),
        undefined,
        'another identity is free',
      );
      await store.close();
    });

    it('holds through pending and connected, names the account, and is released when the account is removed', async () => {
      const store = await (await backend.fresh()).open();
      assert.equal(await store.claimProviderIdentity(claim('conn_a'), live()), undefined);
      await pending(store, 'conn_a');
      assert.equal((await store.claimProviderIdentity(claim('conn_b'), live()))?.state, 'pending');
      await store.commitConnection('conn_a', {
        accountId: asAccountId('777'),
        portalId: '123',
        channelId: '9',
        name: 'Support bot',
        authorized: true,
        inboxId: '5',
      });
      const connected = await store.claimProviderIdentity(claim('conn_b'), lapsed());
      assert.deepEqual(
        [connected?.state, connected?.accountId, connected?.name],
        ['connected', '777', 'Support bot'],
        'a connected account never lapses',
      );
      await store.deletePendingConnection('conn_a'); // a no-op for a connection that became an account
      assert.equal((await store.claimProviderIdentity(claim('conn_b'), live()))?.state, 'connected');
      await store.deleteAccount('777');
      assert.equal(await store.claimProviderIdentity(claim('conn_b'), live()), undefined);
      await store.close();
    });

    it('is released when a pending connection is given up, stored or not', async () => {
      const store = await (await backend.fresh()).open();
      await store.claimProviderIdentity(claim('conn_a'), live());
      await store.deletePendingConnection('conn_a'); // given up before its row was stored
      assert.equal(await store.claimProviderIdentity(claim('conn_b'), live()), undefined);
      await pending(store, 'conn_b');
      await store.deletePendingConnection('conn_b');
      assert.equal(await store.claimProviderIdentity(claim('conn_c'), live()), undefined);
      await store.close();
    });

    it('takes an abandoned pending connection over and marks it removed, so its webhook URL stops answering 503', async () => {
      const store = await (await backend.fresh()).open();
      await store.claimProviderIdentity(claim('conn_old'), live());
      await pending(store, 'conn_old');
      assert.equal(await store.claimProviderIdentity(claim('conn_new'), lapsed()), undefined);
      assert.equal((await store.getConnection('conn_old'))?.status, 'removed');
      assert.equal((await store.claimProviderIdentity(claim('conn_third'), live()))?.name, 'Telegram via conn_new');
      await store.close();
    });

    it('lets exactly one of several connections claim an identity at once, from one store', async () => {
      const store = await (await backend.fresh()).open();
      const holders = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.claimProviderIdentity(claim(`conn_${i}`), live())),
      );
      assert.equal(holders.filter((h) => h === undefined).length, 1);
      await store.close();
    });

    it('lets exactly one of several processes claim an identity at once', async () => {
      const db = await backend.fresh();
      const store = await db.open(); // migrated before the racers start
      const results = await raceInProcesses(backend, db.location, 4);
      assert.equal(results.filter((r) => r === null).length, 1, results.join('\n'));
      await store.close();
    });
  });
}
