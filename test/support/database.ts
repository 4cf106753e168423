/** @module test/support/database: a fresh database per test file on the real PostgreSQL server. */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

/** Server to create test databases on; `TEST_DATABASE_URL` overrides (CI uses the local server). */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  url: string;
  /** Closes the connections and drops the database. */
  drop(): Promise<void>;
}

/** Creates an empty, migrated database named `ebm_test_<random>`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ebm_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '/tmp' });
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}
