/**
 * @module db-backup/restore: puts a database backup back (seed 004 "Via CLI: --restore"). The file is first
 * checked against its metadata (SHA-256 and size, and that it decompresses); then, in ONE transaction, the
 * app's schemas are dropped and recreated and the dump is replayed, so that a restore that fails half-way
 * leaves the database exactly as it was. A real server is restored with `psql --single-transaction
 * -v ON_ERROR_STOP=1` (pg_dump's plain SQL has COPY blocks and `\restrict` meta-commands only psql reads);
 * the embedded database with PGlite's `exec` inside `transaction()`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip as gunzipCb } from 'node:zlib';
import type { Database } from '../db/client.js';
import { type BackupMetadata, readMetadata } from './metadata.js';
import { verifyBackupFile } from './pool.js';
import { findPsql, libpqEnv } from './tools.js';

const gunzip = promisify(gunzipCb);

/** The backup does not match its metadata or does not decompress: it must not be restored. */
export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

/** Drops the schemas the current user owns and `public`, then recreates `public` empty (in the transaction). */
export const CLEAR_SCHEMAS_SQL = `DO $$ DECLARE s text; BEGIN
  FOR s IN SELECT nspname FROM pg_catalog.pg_namespace
    WHERE nspname <> 'public' AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'
      AND nspowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
  LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP;
END $$;
DROP SCHEMA IF EXISTS public CASCADE;
CREATE SCHEMA public;`;

/**
 * Checks `file` against its `.json` metadata: same size, same SHA-256, and it decompresses.
 * @returns the metadata. @throws IntegrityError on any difference; Error when the metadata is missing.
 */
export async function checkBackupIntegrity(file: string): Promise<BackupMetadata> {
  const metadata = await readMetadata(file);
  let actual: Awaited<ReturnType<typeof verifyBackupFile>>;
  try {
    actual = await verifyBackupFile(file, new AbortController().signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`The backup ${file} does not exist.`);
    throw new IntegrityError(
      `The backup ${file} is corrupt: it does not decompress (${(err as Error).message}).`,
    );
  }
  if (actual.sha256 !== metadata.sha256 || actual.bytes !== metadata.size_bytes) {
    throw new IntegrityError(
      `The backup ${file} does not match its metadata (SHA-256 ${actual.sha256.slice(0, 12)}…, expected ${metadata.sha256.slice(0, 12)}…): it is corrupt or was modified.`,
    );
  }
  return metadata;
}

/**
 * Replaces the database's content with the backup's, in one transaction (see the module doc).
 * @param pgDumpPath `PG_DUMP_PATH`, to find the psql beside it (real server only).
 * @throws Error with psql's or PostgreSQL's first error line; the database is then unchanged.
 */
export async function restoreBackup(database: Database, file: string, pgDumpPath?: string): Promise<void> {
  if (database.kind === 'pglite') {
    const pg = database.pglite;
    if (!pg) throw new Error('The embedded database handle is missing.');
    const dump = (await gunzip(await readFile(file))).toString('utf8');
    await pg.transaction(async (tx) => {
      await tx.exec(CLEAR_SCHEMAS_SQL);
      await tx.exec(dump);
    });
    return;
  }
  const psql = await findPsql(pgDumpPath);
  await restoreWithPsql(psql, database.url as string, file);
}

async function restoreWithPsql(psql: string, url: string, file: string): Promise<void> {
  const args = [
    '-X',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    '--single-transaction',
    '-c',
    CLEAR_SCHEMAS_SQL,
    '-f',
    '-',
  ];
  const child = spawn(psql, args, {
    env: { ...process.env, ...libpqEnv(url) },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr = (stderr + t).slice(-8000);
  });
  child.stdin.on('error', () => {}); // EPIPE when psql stops at an error: its exit code tells.
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const sql = createGunzip();
  createReadStream(file)
    .on('error', (err) => sql.destroy(err))
    .pipe(sql);
  try {
    for await (const chunk of sql) {
      if (child.exitCode !== null) break;
      if (!child.stdin.write(chunk)) await Promise.race([once(child.stdin, 'drain'), exited]);
    }
  } catch (err) {
    // Never let psql see the end of its input (it would COMMIT what it got): kill it, the server rolls back.
    child.kill('SIGKILL');
    await exited.catch(() => null);
    throw new Error(`The backup could not be read during the restore (${(err as Error).message}).`);
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) {
    const line = stderr.split('\n').find((l) => /ERROR|FATAL|error/.test(l)) ?? stderr.trim();
    throw new Error(`psql failed: ${line.replace(/^psql:[^ ]* /, '').trim() || `exit code ${code}`}`);
  }
}
