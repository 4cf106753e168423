/**
 * @module db-backup/metadata: the JSON file written beside each database backup (seed 004: "Hash SHA256 et
 * infos de la sauvegarde sont stockées dans JSON"), the listing of the backups found in a directory, and
 * retention (keep the newest N).
 */
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BACKUP_NAME, metadataName } from './paths.js';

/** What a backup's `.json` file holds. Sizes in bytes, times ISO 8601, duration in milliseconds. */
export interface BackupMetadata {
  name: string;
  size_bytes: number;
  /** SHA-256 (hex) of the `.sql.gz` file as written. */
  sha256: string;
  /** Bytes of SQL before compression. */
  raw_bytes: number;
  database: string;
  database_kind: 'postgres' | 'pglite';
  server_version: string;
  app_version: string;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  table_count: number;
  /** `manual`: from the page or the CLI; `safety`: taken by a restore just before it replaced the data. */
  kind: 'manual' | 'safety';
  format: 'sql+gzip';
}

/** A backup found in the directory: its metadata and where it is. */
export interface BackupEntry extends BackupMetadata {
  path: string;
}

/** Writes `<name>.json` beside the backup, atomically (temporary file, then rename). */
export async function writeMetadata(dir: string, metadata: BackupMetadata): Promise<void> {
  const file = path.join(dir, metadataName(metadata.name));
  await writeFile(`${file}.tmp`, `${JSON.stringify(metadata, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/**
 * The metadata of the backup at `file` (`.../backup_x.sql.gz`).
 * @throws Error when its `.json` is missing or unreadable (the backup cannot be checked without it).
 */
export async function readMetadata(file: string): Promise<BackupMetadata> {
  const json = path.join(path.dirname(file), metadataName(path.basename(file)));
  try {
    return JSON.parse(await readFile(json, 'utf8')) as BackupMetadata;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'invalid JSON';
    throw new Error(`The metadata file ${json} cannot be read (${code}); the backup cannot be checked.`);
  }
}

/**
 * The complete backups in `dir` (a `.sql.gz` with its `.json`), newest first; a missing directory is empty.
 * A backup without readable metadata is listed from its file alone (sha256 empty).
 */
export async function listBackupFiles(dir: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries = await Promise.all(
    names.filter((n) => BACKUP_NAME.test(n)).map((n) => entryOf(path.join(dir, n))),
  );
  return entries
    .filter((e): e is BackupEntry => e !== null)
    .sort((a, b) => b.started_at.localeCompare(a.started_at) || b.name.localeCompare(a.name));
}

async function entryOf(file: string): Promise<BackupEntry | null> {
  const name = path.basename(file);
  const info = await stat(file).catch(() => null);
  if (!info) return null;
  const metadata = await readMetadata(file).catch(() => null);
  if (metadata) return { ...metadata, name, path: file };
  const [, database = '', stamp = ''] = BACKUP_NAME.exec(name) ?? [];
  const started = stamp.replace(/^(\d{4})(\d\d)(\d\d)_(\d\d)(\d\d)(\d\d)$/, '$1-$2-$3T$4:$5:$6');
  return {
    name,
    path: file,
    size_bytes: info.size,
    sha256: '',
    raw_bytes: 0,
    database,
    database_kind: 'postgres',
    server_version: '',
    app_version: '',
    started_at: new Date(started).toISOString(),
    finished_at: info.mtime.toISOString(),
    duration_ms: 0,
    table_count: 0,
    kind: 'manual',
    format: 'sql+gzip',
  };
}

/**
 * Retention: keeps the newest `keep` backups of `dir` and deletes the others (file and metadata).
 * @param protect names never deleted (the backup a restore is reading, for instance).
 * @returns the names deleted.
 */
export async function applyDbRetention(dir: string, keep: number, protect: string[] = []): Promise<string[]> {
  const old = (await listBackupFiles(dir)).slice(keep).filter((e) => !protect.includes(e.name));
  for (const e of old) {
    await rm(e.path, { force: true });
    await rm(path.join(dir, metadataName(e.name)), { force: true });
  }
  return old.map((e) => e.name);
}
