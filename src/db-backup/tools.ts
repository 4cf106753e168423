/**
 * @module db-backup/tools: the PostgreSQL client binaries a backup of a real server needs (seed 004: "Vérifier
 * que pg_dump est dans le PATH"). pg_dump is `PG_DUMP_PATH` or the first `pg_dump` in PATH, looked up again at
 * each run (so installing it fixes the next run without a restart); psql is the one beside it, else in PATH.
 * Also turns a postgres:// URL into libpq environment variables, so that no password shows in `ps`.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MessageParams } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';
import { DbBackupError } from './errors.js';

const run = promisify(execFile);

/** A missing or unsuitable client binary, with a one-sentence message saying what to do. */
export class ToolError extends DbBackupError {
  override name = 'ToolError';
  constructor(code: string, key: MessageKey, params?: MessageParams) {
    super(code, key, params);
  }
}

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** The first executable `name` in `PATH`, or null. */
async function inPath(name: string, envPath = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    if (await executable(file)) return file;
  }
  return null;
}

/**
 * Finds pg_dump. @param configured `PG_DUMP_PATH`, or undefined to search PATH.
 * @returns its absolute path. @throws ToolError when it is not there or not executable.
 */
export async function findPgDump(configured: string | undefined): Promise<string> {
  if (configured) {
    const file = path.resolve(configured);
    if (await executable(file)) return file;
    throw new ToolError('pg_dump_not_found', 'dbbackup.error.pg_dump_missing_at', { file });
  }
  const found = await inPath('pg_dump');
  if (found) return found;
  throw new ToolError('pg_dump_not_found', 'dbbackup.error.pg_dump_missing');
}

/**
 * Finds psql: beside `PG_DUMP_PATH` when that is set and has one, else the first in PATH.
 * @throws ToolError when there is none.
 */
export async function findPsql(pgDumpPath: string | undefined): Promise<string> {
  const beside = pgDumpPath ? path.join(path.dirname(path.resolve(pgDumpPath)), 'psql') : null;
  if (beside && (await executable(beside))) return beside;
  const found = await inPath('psql');
  if (found) return found;
  throw new ToolError('psql_not_found', 'dbbackup.error.psql_missing');
}

/** The major version a client binary reports (`pg_dump (PostgreSQL) 15.20 (Debian ...)` -> 15). */
export async function clientMajor(binary: string): Promise<number> {
  const { stdout } = await run(binary, ['--version'], { timeout: 10_000 });
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
  if (!match) {
    throw new ToolError('bad_client_version', 'dbbackup.error.version_answer', {
      binary,
      answer: stdout.trim(),
    });
  }
  return Number(match[1]);
}

/**
 * Checks that pg_dump can dump the server: its major version must be at least the server's.
 * @param serverVersionNum `server_version_num`, e.g. 150020. @throws ToolError otherwise.
 */
export async function checkPgDumpVersion(pgDump: string, serverVersionNum: number): Promise<void> {
  const serverMajor = Math.floor(serverVersionNum / 10_000);
  const major = await clientMajor(pgDump);
  if (major < serverMajor) {
    throw new ToolError('pg_dump_too_old', 'dbbackup.error.pg_dump_too_old', {
      major,
      file: pgDump,
      server: serverMajor,
    });
  }
}

/** libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE) for a postgres:// URL. */
export function libpqEnv(url: string): Record<string, string> {
  const u = new URL(url);
  const env: Record<string, string> = {
    PGHOST: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')) || 'localhost',
    PGPORT: u.port || '5432',
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const ssl = u.searchParams.get('sslmode') ?? u.searchParams.get('ssl');
  if (ssl) env.PGSSLMODE = ssl === 'true' ? 'require' : ssl;
  return env;
}
