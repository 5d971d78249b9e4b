import fs from 'node:fs';
import { Command, Option } from 'commander';
import { keyId } from '../store/crypto.js';
import { openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { requireAdminToken } from './channel.js';

function key(value: string | undefined, name: string): Buffer {
  const bytes = Buffer.from(value ?? '', 'base64');
  if (bytes.length !== 32) throw new Error(`${name} must be 32 bytes encoded as base64 (openssl rand -base64 32)`);
  return bytes;
}

/**
 * `channel-bridge secrets rotate`: re-seals every stored secret with BRIDGE_ENCRYPTION_KEY, opening old values with
 * BRIDGE_PREVIOUS_ENCRYPTION_KEYS, in the store the bridge uses: PostgreSQL with BRIDGE_DATABASE_URL, else the SQLite
 * file. Safe to run while the bridge runs (one transaction) and to run twice.
 */
export function secretsCommand(): Command {
  const secrets = new Command('secrets').description('stored secrets (provider credentials, OAuth tokens)');
  secrets
    .command('rotate')
    .description('re-seal every stored secret with the current key')
    .addOption(
      new Option('--database-url <url>', 'the bridge store on PostgreSQL (postgres://…)').env('BRIDGE_DATABASE_URL'),
    )
    .addOption(
      new Option('--sqlite <path>', 'the bridge store on SQLite, without a database URL')
        .env('BRIDGE_SQLITE_PATH')
        .default('.data/bridge.sqlite'),
    )
    .addOption(new Option('--key <base64>', 'the new (current) key').env('BRIDGE_ENCRYPTION_KEY'))
    .addOption(
      new Option('--previous-keys <base64,...>', 'keys the stored secrets may be sealed with').env(
        'BRIDGE_PREVIOUS_ENCRYPTION_KEYS',
      ),
    )
    .addOption(new Option('--admin-token <token>', "the bridge's admin token").env('BRIDGE_ADMIN_TOKEN'))
    .option('--json', 'print {resealed, total, keyId} instead of a sentence')
    .action(
      async (options: {
        databaseUrl?: string;
        sqlite: string;
        key?: string;
        previousKeys?: string;
        adminToken?: string;
        json?: boolean;
      }) => {
        requireAdminToken(options.adminToken);
        const current = key(options.key, 'BRIDGE_ENCRYPTION_KEY');
        const previous = (options.previousKeys ?? '')
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)
          .map((k) => key(k, 'BRIDGE_PREVIOUS_ENCRYPTION_KEYS'));
        const store = await openStore(options, current, previous);
        try {
          const { resealed, total } = await store.resealSecrets();
          const done = { resealed, total, keyId: keyId(current) };
          process.stdout.write(
            options.json
              ? `${JSON.stringify(done, null, 2)}\n`
              : `re-sealed ${resealed} of ${total} stored secrets with key ${done.keyId}; the previous keys can now be removed\n`,
          );
        } finally {
          await store.close();
        }
      },
    );
  return secrets;
}

/** The store the processes use: PostgreSQL when a database URL is set, else the SQLite file, which must exist. */
async function openStore(
  options: { databaseUrl?: string; sqlite: string },
  encryptionKey: Buffer,
  previousEncryptionKeys: Buffer[],
): Promise<Store> {
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl))
      throw new Error('BRIDGE_DATABASE_URL must be a postgres://user:password@host:5432/database URL');
    try {
      return await openPostgresStore({ url: options.databaseUrl, encryptionKey, previousEncryptionKeys, poolSize: 2 });
    } catch (error) {
      // The driver's message never carries the URL (and its password); the host does not need it either.
      throw new Error(`cannot open the PostgreSQL store (BRIDGE_DATABASE_URL): ${(error as Error).message}`);
    }
  }
  if (!fs.existsSync(options.sqlite))
    throw new Error(
      `${options.sqlite} does not exist: point --sqlite or BRIDGE_SQLITE_PATH at the bridge's store, or set BRIDGE_DATABASE_URL`,
    );
  return openSqliteStore({ path: options.sqlite, encryptionKey, previousEncryptionKeys });
}
