/**
 * @module db/client: opens the database: a real PostgreSQL server through the `postgres` driver when a URL
 * is given, otherwise embedded PGlite in `DATA_DIR/pg` (one process only, guarded by a pid lock file).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { acquirePidLock } from './pid-lock.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The postgres:// URL for a real server (with credentials: never log it). */
  url?: string;
  /** Human-readable location, without credentials (for logs and the settings page). */
  location: string;
  /** The embedded PGlite instance (kind `pglite` only), for tools that need it directly (database backup). */
  pglite?: PGlite;
  close(): Promise<void>;
}

const opened = new WeakMap<Db, Database>();

/** The Database that opened `db` (its URL or PGlite handle), or undefined for a `db` made elsewhere. */
export function databaseOf(db: Db): Database | undefined {
  return opened.get(db);
}

/**
 * Opens the database.
 * @param options.databaseUrl postgres:// URL of a real server; undefined selects embedded PGlite.
 * @param options.dataDir where PGlite keeps its files (`<dataDir>/pg`).
 * @throws Error when the embedded database is already open in another live process.
 */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, { max: 10, onnotice: () => {} });
    const url = new URL(options.databaseUrl);
    return register({
      db: drizzlePostgres(client, { schema }) as unknown as Db,
      kind: 'postgres',
      url: options.databaseUrl,
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => client.end({ timeout: 5 }),
    });
  }
  const dir = path.join(options.dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  const release = acquirePidLock(path.join(options.dataDir, 'pg.lock'));
  try {
    const client = await PGlite.create(dir);
    return register({
      db: drizzlePglite(client, { schema }) as unknown as Db,
      kind: 'pglite',
      location: dir,
      pglite: client,
      close: async () => {
        await client.close();
        release();
      },
    });
  } catch (err) {
    release();
    throw err;
  }
}

function register(database: Database): Database {
  opened.set(database.db, database);
  return database;
}
