import { randomUUID } from 'node:crypto';
import pg from 'pg';

/**
 * Throwaway PostgreSQL databases on the cluster scripts/test.ts provisions (BRIDGE_TEST_DATABASE_URL): `create` makes
 * one and answers its URL, `dropAll` removes every one this set made (call it in an `after`).
 */
export function testDatabases(prefix: string, adminUrl = process.env.BRIDGE_TEST_DATABASE_URL) {
  const made: string[] = [];
  return {
    async create(): Promise<string> {
      const name = `${prefix}_${randomUUID().replace(/-/g, '')}`;
      const admin = new pg.Client(adminUrl);
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      made.push(name);
      const url = new URL(adminUrl!);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async dropAll(): Promise<void> {
      if (!adminUrl || made.length === 0) return;
      const admin = new pg.Client(adminUrl);
      await admin.connect();
      for (const name of made.splice(0))
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
  };
}
