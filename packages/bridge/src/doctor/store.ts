import fs from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../config.js';
import { MIGRATIONS } from '../store/migrations/index.js';
import { openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { fail, messageOf, pass, warn, type CheckResult } from './types.js';

const START_FIX =
  'start the api or the worker of this version once: they apply the migrations on start (on PostgreSQL under a lock, so several at once are safe)';

/** Where the store is, as it may be shown: a database URL without its user and password. */
export function storeLabel(config: Config): string {
  const { databaseUrl, sqlitePath } = config.store;
  if (!databaseUrl) return `SQLite ${sqlitePath}`;
  try {
    const url = new URL(databaseUrl);
    return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'PostgreSQL (BRIDGE_DATABASE_URL)';
  }
}

/**
 * The versions recorded in schema_migrations, read without changing anything (the api and worker migrate; doctor never
 * does).
 */
async function appliedVersions(config: Config): Promise<number[]> {
  const { databaseUrl, sqlitePath } = config.store;
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      const table = await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
      if (!table.rows[0]?.t) return [];
      return (await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) =>
        Number(r.version),
      );
    } finally {
      await client.end();
    }
  }
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    if (!db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get())
      return [];
    return db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version);
  } finally {
    db.close();
  }
}

/**
 * The store answers and holds every migration of this version. Returns the opened store (for the portal and account
 * checks) only then: opening a store applies missing migrations, and doctor must not change the schema.
 */
export async function checkStore(config: Config): Promise<{ results: CheckResult[]; store?: Store }> {
  const label = storeLabel(config);
  if (!config.store.databaseUrl && !fs.existsSync(config.store.sqlitePath)) {
    return {
      results: [
        fail(
          'store.connection',
          'store',
          `${label} does not exist`,
          "point BRIDGE_SQLITE_PATH (or BRIDGE_DATA_DIR) at the bridge's store, set BRIDGE_DATABASE_URL for PostgreSQL, or start the api once to create it",
        ),
      ],
    };
  }
  let applied: number[];
  try {
    applied = await appliedVersions(config);
  } catch (error) {
    const fix = config.store.databaseUrl
      ? 'check BRIDGE_DATABASE_URL (host, port, database, user and password) and that PostgreSQL accepts connections from here'
      : 'check that the file is a SQLite database this user can read';
    return { results: [fail('store.connection', 'store', `cannot read ${label}: ${messageOf(error)}`, fix)] };
  }
  const results = [pass('store.connection', 'store', `${label} answers`)];
  const missing = MIGRATIONS.filter((m) => !applied.includes(m.version));
  const known = new Set(MIGRATIONS.map((m) => m.version));
  const unknown = applied.filter((v) => !known.has(v));
  if (missing.length) {
    results.push(
      fail(
        'store.migrations',
        'store migrations',
        `${missing.length} of ${MIGRATIONS.length} migrations are not applied: ${missing.map((m) => `${m.version} ${m.name}`).join(', ')}`,
        START_FIX,
      ),
    );
    return { results };
  }
  results.push(
    unknown.length
      ? warn(
          'store.migrations',
          'store migrations',
          `all ${MIGRATIONS.length} migrations are applied, and ${unknown.length} this version does not know (${unknown.join(', ')}): a newer bridge has used this store`,
          'run the same version of the bridge everywhere; an older one may not understand the newer schema',
        )
      : pass('store.migrations', 'store migrations', `all ${MIGRATIONS.length} migrations are applied`),
  );
  try {
    return { results, store: await openStore(config) };
  } catch (error) {
    results.push(
      fail(
        'store.open',
        'store',
        `cannot open ${label}: ${messageOf(error)}`,
        'check that the api and worker can open it (same settings as here)',
      ),
    );
    return { results };
  }
}

function openStore(config: Config): Promise<Store> | Store {
  const { databaseUrl, sqlitePath, encryptionKey, previousEncryptionKeys } = config.store;
  return databaseUrl
    ? openPostgresStore({ url: databaseUrl, encryptionKey, previousEncryptionKeys, poolSize: 2 })
    : openSqliteStore({ path: sqlitePath, encryptionKey, previousEncryptionKeys });
}
