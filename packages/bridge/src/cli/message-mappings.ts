import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { InspectContext } from '../inspect/index.js';
import { createPool } from '../store/postgres/db.js';
import { postgresMessages } from '../store/postgres/messages.js';
import { sqliteMessages } from '../store/sqlite/messages.js';

/** Where `channel-bridge messages` finds the bridge's store, as the api and worker do. */
export interface MappingSettings {
  /** BRIDGE_DATABASE_URL: PostgreSQL. */
  readonly databaseUrl?: string;
  /** BRIDGE_SQLITE_PATH, default <BRIDGE_DATA_DIR>/bridge.sqlite: used when it exists and no database URL is set. */
  readonly sqlitePath: string;
}

export interface OpenedMappings {
  readonly mappings?: NonNullable<InspectContext['mappings']>;
  close(): Promise<void>;
}

/**
 * The store's message mappings, for the CLI that otherwise reads Temporal only: an inbound message of version 3 sets
 * no HubSpotMessageId, so its HubSpot id is found there. Opened without migrating and never written; no store here
 * (a machine with Temporal access only) means none, and visibility alone is read.
 */
export async function openMessageMappings(settings: MappingSettings): Promise<OpenedMappings> {
  if (settings.databaseUrl) {
    const pool = createPool(settings.databaseUrl, 1);
    return { mappings: postgresMessages(pool), close: () => pool.end() };
  }
  if (!fs.existsSync(settings.sqlitePath)) return { close: async () => undefined };
  const db = new Database(settings.sqlitePath, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return { mappings: sqliteMessages(db), close: async () => void db.close() };
}
