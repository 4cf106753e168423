/** @module db/migrate: applies the SQL migrations in `drizzle/` (the same files for PostgreSQL and PGlite). */

import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { MIGRATIONS_DIR } from '../paths.js';
import type { Database } from './client.js';

/** Arbitrary constant key for the advisory lock that serialises migrations across app processes. */
const MIGRATION_LOCK = 7_245_001;

/**
 * Brings the schema up to date. On a real server, several processes starting at once take turns.
 * @throws the database error of the first migration that fails (nothing of that migration is kept).
 */
export async function migrate(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
    return;
  }
  // A dedicated single connection, so that the session-level advisory lock covers the whole run.
  const client = postgres(database.url as string, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzle(client), config);
  } finally {
    await client.end({ timeout: 5 });
  }
}
