/**
 * @module db-backup/source: what the backup learns from the database at its initialisation step (seed 004
 * step 1, "Validation des paramètres"): name, server version, size and table count, and for the embedded
 * database a consistent copy of its files to dump in a worker (so that the app's own PGlite connection is
 * never touched by pg_dump, which leaves a read-only transaction open and clears `search_path`).
 */
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { DbBackupError } from './errors.js';

export interface DatabaseInfo {
  /** `current_database()`. */
  name: string;
  /** `server_version`, e.g. `15.20 (Debian 15.20-0+deb12u1)`. */
  serverVersion: string;
  /** `server_version_num`, e.g. 150020. */
  serverVersionNum: number;
  /** `pg_database_size` in bytes: what the dump's progress is measured against. */
  sizeBytes: number;
  /** Tables outside the system schemas. */
  tableCount: number;
}

type Row = Record<string, unknown>;

/** Rows of `db.execute()`, whose shape differs between postgres-js (an array) and PGlite (`{ rows }`). */
export async function queryRows(db: Db, query: ReturnType<typeof sql>): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown;
  return Array.isArray(result) ? (result as Row[]) : ((result as { rows: Row[] }).rows ?? []);
}

/** Reads the database's name, version, size and table count. @throws the driver's error; DbBackupError. */
export async function databaseInfo(db: Db): Promise<DatabaseInfo> {
  const [row] = await queryRows(
    db,
    sql`select current_database() as name,
      current_setting('server_version') as version,
      current_setting('server_version_num')::int as version_num,
      pg_database_size(current_database())::bigint as size,
      (select count(*) from pg_catalog.pg_tables
        where schemaname not in ('pg_catalog', 'information_schema'))::int as tables`,
  );
  if (!row) throw new DbBackupError('no_database_version', 'dbbackup.error.no_version');
  return {
    name: String(row.name),
    serverVersion: String(row.version),
    serverVersionNum: Number(row.version_num),
    sizeBytes: Number(row.size),
    tableCount: Number(row.tables),
  };
}

/**
 * A consistent copy of the embedded database's files (an uncompressed tar, as PGlite's `clone()` takes).
 * Taken while holding PGlite's transaction lock, so that no transaction of the app is half-way; a CHECKPOINT
 * first keeps the copy's recovery short. The main thread is busy for the copy only (about 0.15 s for 40 MB).
 */
export async function snapshotPglite(pg: PGlite): Promise<Uint8Array> {
  await pg.exec('CHECKPOINT');
  const blob = await pg._runExclusiveTransaction(() => pg.dumpDataDir('none'));
  return new Uint8Array(await blob.arrayBuffer());
}
