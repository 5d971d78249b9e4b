import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { keyId } from '../../packages/bridge/src/store/crypto.js';
import { openPostgresStore } from '../../packages/bridge/src/store/postgres.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';
import type { Store } from '../../packages/bridge/src/store/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
function cli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HUBSPOT_|BRIDGE_)/.test(k)));
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'packages/bridge/src/cli/index.ts'), ...args],
      { cwd: ROOT, env: { ...clean, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** One account's credentials and one portal's tokens: three sealed secrets. */
async function seedSecrets(store: Store): Promise<void> {
  await store.upsertAccount({
    accountId: asAccountId('42'),
    portalId: '1',
    channelId: '2',
    provider: 'telegram',
    name: 'Bot',
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'telegram:1' },
    authorized: true,
    credentials: { botToken: '1:abc', secretToken: 'sec' },
  });
  await store.savePortalTokens({
    portalId: '1',
    accessToken: 'a',
    refreshToken: 'r',
    expiresAt: new Date().toISOString(),
    scopes: [],
    status: 'active',
  });
}

const adminUrl = process.env.BRIDGE_TEST_DATABASE_URL;

describe('channel-bridge secrets rotate', () => {
  it(
    're-seals every secret in the PostgreSQL store the processes share (BRIDGE_DATABASE_URL)',
    {
      timeout: 180_000,
      skip: adminUrl ? false : 'BRIDGE_TEST_DATABASE_URL is not set (npm test provisions PostgreSQL)',
    },
    async () => {
      const database = `bridge_rotate_${randomUUID().replace(/-/g, '')}`;
      const admin = new pg.Client(adminUrl);
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      const dbUrl = new URL(adminUrl!);
      dbUrl.pathname = `/${database}`;
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const store = await openPostgresStore({ url: dbUrl.toString(), encryptionKey: oldKey });
      await seedSecrets(store);
      await store.close();

      const env = {
        BRIDGE_DATABASE_URL: dbUrl.toString(),
        BRIDGE_ENCRYPTION_KEY: newKey.toString('base64'),
        BRIDGE_ADMIN_TOKEN: 'rotate-admin-token-0123',
      };
      const withoutOld = await cli(['secrets', 'rotate'], env);
      assert.equal(withoutOld.code, 1);
      assert.match(withoutOld.stderr, /add the old key to BRIDGE_PREVIOUS_ENCRYPTION_KEYS/);
      const rotated = await cli(['secrets', 'rotate'], {
        ...env,
        BRIDGE_PREVIOUS_ENCRYPTION_KEYS: oldKey.toString('base64'),
      });
      assert.equal(rotated.code, 0, rotated.stderr);
      assert.match(rotated.stdout, new RegExp(`re-sealed 3 of 3 stored secrets with key ${keyId(newKey)}`));
      const again = await cli(['secrets', 'rotate'], env);
      assert.equal(again.code, 0, 'a second run needs no old key');
      assert.match(again.stdout, /re-sealed 0 of 3/);

      const after = await openPostgresStore({ url: dbUrl.toString(), encryptionKey: newKey });
      assert.equal((await after.getAccount('42'))?.credentials.botToken, '1:abc');
      assert.equal((await after.getPortalTokens('1'))?.refreshToken, 'r');
      await after.close();

      const unreachable = new URL(dbUrl);
      unreachable.port = '1';
      const refused = await cli(['secrets', 'rotate'], { ...env, BRIDGE_DATABASE_URL: unreachable.toString() });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /cannot open the PostgreSQL store \(BRIDGE_DATABASE_URL\)/);
      for (const output of [withoutOld, rotated, again, refused]) {
        for (const secret of [newKey.toString('base64'), oldKey.toString('base64'), dbUrl.password].filter(Boolean)) {
          assert.ok(
            !output.stdout.includes(secret) && !output.stderr.includes(secret),
            'no key or password is printed',
          );
        }
      }
    },
  );

  it(
    're-seals every stored secret with the new key, after which the old key is no longer needed',
    { timeout: 180_000 },
    async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-cli-')), 'bridge.sqlite');
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const store = openSqliteStore({ path: file, encryptionKey: oldKey });
      await seedSecrets(store);
      await store.close();
      const env = {
        BRIDGE_SQLITE_PATH: file,
        BRIDGE_ENCRYPTION_KEY: newKey.toString('base64'),
        BRIDGE_ADMIN_TOKEN: 'rotate-admin-token-0123',
      };

      const withoutOld = await cli(['secrets', 'rotate'], env);
      assert.equal(withoutOld.code, 1);
      assert.match(withoutOld.stderr, /sealed with key \w{8}.*add the old key to BRIDGE_PREVIOUS_ENCRYPTION_KEYS/);

      const noAdmin = await cli(['secrets', 'rotate'], {
        ...env,
        BRIDGE_ADMIN_TOKEN: undefined,
        BRIDGE_PREVIOUS_ENCRYPTION_KEYS: oldKey.toString('base64'),
      });
      assert.equal(noAdmin.code, 2, 'a setting the command needs is missing: a usage error');
      assert.match(noAdmin.stderr, /needs the admin token/);

      const rotated = await cli(['secrets', 'rotate'], {
        ...env,
        BRIDGE_PREVIOUS_ENCRYPTION_KEYS: oldKey.toString('base64'),
      });
      assert.equal(rotated.code, 0, rotated.stderr);
      assert.match(rotated.stdout, new RegExp(`re-sealed 3 of 3 stored secrets with key ${keyId(newKey)}`));

      const after = openSqliteStore({ path: file, encryptionKey: newKey });
      assert.equal((await after.getAccount('42'))?.credentials.botToken, '1:abc');
      assert.equal((await after.getPortalTokens('1'))?.refreshToken, 'r');
      await after.close();

      const badKey = await cli(['secrets', 'rotate'], { ...env, BRIDGE_ENCRYPTION_KEY: 'short' });
      assert.match(badKey.stderr, /BRIDGE_ENCRYPTION_KEY must be 32 bytes/);
    },
  );
});
