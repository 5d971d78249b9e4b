import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { createKeyring, createSecretBox, keyId, SealedSecretError } from '../../packages/bridge/src/store/crypto.js';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);

function fileBytes(file: string): string {
  return [file, `${file}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

describe('secret box and key rotation', () => {
  it('keeps createSecretBox(key) working: seal, open, and a sealed value that names its key', () => {
    const box = createSecretBox(oldKey);
    const sealed = box.seal('bot-token-123');
    assert.equal(sealed.split('.')[1], keyId(oldKey));
    assert.equal(box.open(sealed), 'bot-token-123');
  });

  it('opens values sealed with a previous key, seals with the current one, and says which need re-sealing', () => {
    const sealedOld = createSecretBox(oldKey).seal('s3cret');
    const ring = createKeyring(newKey, [oldKey]);
    assert.equal(ring.open(sealedOld), 's3cret');
    assert.equal(ring.needsReseal(sealedOld), true);
    const sealedNew = ring.seal('s3cret');
    assert.equal(ring.needsReseal(sealedNew), false);
    assert.equal(ring.currentKeyId, keyId(newKey));
  });

  it('refuses a value sealed with a key it was not given, naming the fix', () => {
    const sealedOld = createSecretBox(oldKey).seal('s3cret');
    assert.throws(
      () => createKeyring(newKey).open(sealedOld),
      (e: unknown) => e instanceof SealedSecretError && /BRIDGE_PREVIOUS_ENCRYPTION_KEYS/.test(e.message),
    );
  });

  it('detects a tampered value instead of returning garbage', () => {
    const sealed = createSecretBox(oldKey).seal('s3cret');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    assert.throws(() => createSecretBox(oldKey).open(parts.join('.')), /integrity check/);
  });

  it('re-seals every stored secret (account credentials, pending connections, portal tokens) with the new key', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rotate-')), 'bridge.sqlite');
    const before = openSqliteStore({ path: file, encryptionKey: oldKey });
    await before.upsertAccount({
      accountId: asAccountId('77'),
      portalId: '1',
      channelId: '2',
      provider: 'generic',
      name: 'A',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'a' },
      authorized: true,
      credentials: { signingSecret: 'whsec_rotate-me' },
    });
    await before.addPendingConnection(
      {
        connectionId: 'c1',
        portalId: '1',
        channelId: '2',
        provider: 'telegram',
        name: 'Bot',
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'telegram:1' },
      },
      { botToken: '1:pending-token' },
    );
    await before.savePortalTokens({
      portalId: '1',
      accessToken: 'CO-access',
      refreshToken: 'refresh-xyz',
      expiresAt: new Date().toISOString(),
      scopes: ['a'],
      status: 'active',
    });
    await before.close();

    // Step 1 of a rotation: the new key is current, the old one still opens.
    const during = openSqliteStore({ path: file, encryptionKey: newKey, previousEncryptionKeys: [oldKey] });
    assert.equal((await during.getAccount('77'))?.credentials.signingSecret, 'whsec_rotate-me');
    assert.deepEqual(await during.resealSecrets(), { resealed: 4, total: 4 });
    assert.deepEqual(await during.resealSecrets(), { resealed: 0, total: 4 }, 'a second run has nothing to do');
    await during.close();

    // Step 2: the old key is dropped; everything still opens.
    const after = openSqliteStore({ path: file, encryptionKey: newKey });
    assert.equal((await after.getAccount('77'))?.credentials.signingSecret, 'whsec_rotate-me');
    assert.equal((await after.getPortalTokens('1'))?.refreshToken, 'refresh-xyz');
    await after.close();
    const bytes = fileBytes(file);
    for (const secret of ['whsec_rotate-me', 'pending-token', 'CO-access', 'refresh-xyz'])
      assert.ok(!bytes.includes(secret), `${secret} is on disk in clear`);
  });
});
