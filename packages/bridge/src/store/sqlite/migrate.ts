import type Database from 'better-sqlite3';
import { MIGRATIONS } from '../migrations/index.js';

/**
 * Applies every migration not yet recorded, each in its own transaction. Several processes may open a new file at
 * once (`npm start` in live mode starts the api and the worker together), so each step is checked and applied under
 * the write lock (BEGIN IMMEDIATE): the second process waits, then finds the step recorded.
 */
export function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const recorded = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const step of MIGRATIONS) {
    db.transaction(() => {
      if (recorded.get(step.version)) return;
      db.exec(step.sql);
      record.run(step.version, step.name, new Date().toISOString());
    }).immediate();
  }
}
