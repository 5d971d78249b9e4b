import pg from 'pg';

/** What every part needs: a pool, or the client of a transaction in progress. */
export type Db = Pick<pg.Pool | pg.PoolClient, 'query'>;

// BIGINT (oid 20) comes back as a string by default; the store's integers (ms times, counters) fit a double.
const types = {
  getTypeParser: (oid: number, format?: string) =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
} as pg.CustomTypesConfig;

/**
 * A pool whose idle connections may die (the database restarts, fails over, or an administrator ends them) without
 * taking the process with them: node-postgres emits such an error on the pool, which crashes the process when nothing
 * listens (https://node-postgres.com/apis/pool#error). The pool has already dropped that client; the next query opens a
 * new one, and a query in flight fails on its own and is retried by its caller.
 */
export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types });
  pool.on('error', (error) =>
    process.emitWarning(`an idle PostgreSQL connection of the store ended: ${error.message}`, 'StoreConnectionWarning'),
  );
  return pool;
}

/** Runs `fn` in one transaction on one client; rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function one<T>(db: Db, text: string, values: unknown[] = []): Promise<T | undefined> {
  return (await db.query(text, values)).rows[0] as T | undefined;
}
