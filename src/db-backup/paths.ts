/**
 * @module db-backup/paths: where database backups live and how their files are named (seed 004):
 * `backup_<database>_<YYYYMMDD_HHMMSS>.sql.gz` beside its metadata `backup_<database>_<YYYYMMDD_HHMMSS>.json`,
 * written first under a temporary `.partial` name. Names are checked with a strict pattern, so that a name
 * taken from a URL can never point outside the backup directory.
 */
import { constants } from 'node:fs';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DbBackupError } from './errors.js';

/** A finished backup's file name; group 1 is the database, group 2 the timestamp. */
export const BACKUP_NAME = /^backup_([A-Za-z0-9_.-]{1,63})_(\d{8}_\d{6})\.sql\.gz$/;
const PARTIAL_SUFFIX = '.partial';

/** A directory that cannot hold backups (code `backup_dir_not_writable`), with a message naming it. */
export class BackupDirError extends DbBackupError {
  override name = 'BackupDirError';
  constructor(dir: string, code: string) {
    super('backup_dir_not_writable', 'dbbackup.error.dir_not_writable', { dir, code });
  }
}

/** `20260122_143025` for a date, in the server's local time as in the seed. */
export function timestampOf(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}_` +
    `${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`
  );
}

/**
 * The file name of a backup of `database` started at `date`.
 * @param database the database's name; characters outside `[A-Za-z0-9_.-]` become `_`.
 */
export function backupName(database: string, date: Date): string {
  const safe = database.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63) || 'database';
  return `backup_${safe}_${timestampOf(date)}.sql.gz`;
}

/** The metadata file's name beside a backup: `x.sql.gz` -> `x.json`. */
export function metadataName(name: string): string {
  return name.replace(/\.sql\.gz$/, '.json');
}

/** The temporary name a run writes to before its final rename; `owner` tells runs apart (`job12`, `cli345`). */
export function partialName(name: string, owner: string): string {
  return `${name}.${owner}${PARTIAL_SUFFIX}`;
}

/**
 * The absolute path of backup `name` inside `dir`.
 * @returns null when `name` is not a backup file name (so `../x`, `a/b` and the like are refused).
 */
export function backupPath(dir: string, name: string): string | null {
  if (!BACKUP_NAME.test(name) || path.basename(name) !== name) return null;
  const full = path.resolve(dir, name);
  return path.dirname(full) === path.resolve(dir) ? full : null;
}

/**
 * Creates the backup directory when missing and checks that this process may write into it.
 * @throws BackupDirError naming the directory and the reason (permission, not a directory, ...).
 */
export async function ensureBackupDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK | constants.X_OK);
    const probe = path.join(dir, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new BackupDirError(dir, code);
  }
}

/** Removes the `.partial` files a run with this `owner` tag left in `dir` (after a crash or a failure). */
export async function removePartials(dir: string, owner: string, names: readonly string[]): Promise<void> {
  const suffix = `.${owner}${PARTIAL_SUFFIX}`;
  await Promise.all(
    names.filter((n) => n.endsWith(suffix)).map((n) => rm(path.join(dir, n), { force: true })),
  );
}
