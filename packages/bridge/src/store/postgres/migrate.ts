import type pg from 'pg';
import { MIGRATIONS } from '../migrations/index.js';
import { transaction } from './db.js';

/**
 * The SQLite migrations, with the two types PostgreSQL spells differently: INTEGER is 32-bit there (epoch
 * milliseconds overflow it), so every INTEGER becomes BIGINT, and BLOB becomes BYTEA.
 */
export function toPostgres(sql: string): string {
  return sql.replace(/\bINTEGER\b/g, 'BIGINT').replace(/\bBLOB\b/g, 'BYTEA');
}

// Any constant: several api and worker processes start at once and must not migrate twice.
const MIGRATION_LOCK = 80_08_2026;

/** Applies every migration not yet recorded, under an advisory lock, each in its own transaction. */
export async function migrate(pool: pg.Pool): Promise<void> {
  await transaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    for (const step of MIGRATIONS) {
      if (applied.has(step.version)) continue;
      await client.query('SAVEPOINT step');
      await client.query(toPostgres(step.sql));
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        step.version,
        step.name,
        new Date().toISOString(),
      ]);
      await client.query('RELEASE SAVEPOINT step');
    }
  });
}
