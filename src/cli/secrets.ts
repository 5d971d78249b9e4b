import fs from 'node:fs';
import { Command, Option } from 'commander';
import { keyId } from '../store/crypto.js';
import { openSqliteStore } from '../store/sqlite.js';
import { requireAdminToken } from './channel.js';

function key(value: string | undefined, name: string): Buffer {
  const bytes = Buffer.from(value ?? '', 'base64');
  if (bytes.length !== 32) throw new Error(`${name} must be 32 bytes encoded as base64 (openssl rand -base64 32)`);
  return bytes;
}

/**
 * `channel-bridge secrets rotate`: re-seals every stored secret with BRIDGE_ENCRYPTION_KEY, opening old values with
 * BRIDGE_PREVIOUS_ENCRYPTION_KEYS. Safe to run while the bridge runs (one SQLite transaction) and to run twice.
 */
export function secretsCommand(): Command {
  const secrets = new Command('secrets').description('stored secrets (provider credentials, OAuth tokens)');
  secrets
    .command('rotate')
    .description('re-seal every stored secret with the current key')
    .addOption(new Option('--sqlite <path>', 'the bridge store').env('BRIDGE_SQLITE_PATH').default('.data/bridge.sqlite'))
    .addOption(new Option('--key <base64>', 'the new (current) key').env('BRIDGE_ENCRYPTION_KEY'))
    .addOption(new Option('--previous-keys <base64,...>', 'keys the stored secrets may be sealed with').env('BRIDGE_PREVIOUS_ENCRYPTION_KEYS'))
    .addOption(new Option('--admin-token <token>', "the bridge's admin token").env('BRIDGE_ADMIN_TOKEN'))
    .action(async (options: { sqlite: string; key?: string; previousKeys?: string; adminToken?: string }) => {
      requireAdminToken(options.adminToken);
      if (!fs.existsSync(options.sqlite)) throw new Error(`${options.sqlite} does not exist: point --sqlite or BRIDGE_SQLITE_PATH at the bridge's store`);
      const current = key(options.key, 'BRIDGE_ENCRYPTION_KEY');
      const previous = (options.previousKeys ?? '').split(',').map((k) => k.trim()).filter(Boolean).map((k) => key(k, 'BRIDGE_PREVIOUS_ENCRYPTION_KEYS'));
      const store = openSqliteStore({ path: options.sqlite, encryptionKey: current, previousEncryptionKeys: previous });
      try {
        const { resealed, total } = await store.resealSecrets();
        process.stdout.write(`re-sealed ${resealed} of ${total} stored secrets with key ${keyId(current)}; the previous keys can now be removed\n`);
      } finally {
        await store.close();
      }
    });
  return secrets;
}
