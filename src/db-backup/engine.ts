/**
 * @module db-backup/engine: one database backup, as the seed's five steps (seed 004 "Processus de
 * Sauvegarde"): initialisation 10 %, dump 20-60 % (real progress: SQL bytes against `pg_database_size`, or
 * tables dumped, whichever is further), compression 70 %, integrity 85 %, finalisation 100 %. Dump, gzip and
 * SHA-256 run in one streaming pass in a worker; the integrity step re-reads the finished file. The file is
 * written under a `.partial` name and renamed at the end, so a failed run leaves nothing behind.
 */
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { type Db, databaseOf } from '../db/client.js';
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import { appVersion } from '../version.js';
import { DbBackupError } from './errors.js';
import { applyDbRetention, type BackupEntry, type BackupMetadata, writeMetadata } from './metadata.js';
import { backupName, ensureBackupDir, partialName } from './paths.js';
import { dumpPgliteToFile, dumpServerToFile, verifyBackupFile, type WorkerProgress } from './pool.js';
import { databaseInfo, snapshotPglite } from './source.js';
import { checkPgDumpVersion, findPgDump, libpqEnv } from './tools.js';

export interface BackupRunOptions {
  /** The app's database (opened by src/db/client.ts, which knows its URL or PGlite handle). */
  db: Db;
  config: Pick<Config, 'dbBackupDir' | 'dbBackupRetention' | 'pgDumpPath'>;
  signal: AbortSignal;
  report: (update: ProgressUpdate) => void;
  /** Tag of the temporary file (`job12`, `cli345`), so that a crashed run's leftovers can be found. */
  owner: string;
  /** `safety`: taken by a restore; no retention is applied after it. Default `manual`. */
  kind?: BackupMetadata['kind'];
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** A name not taken yet: the start time, moved on by a second while a backup of that second exists. */
async function freeName(dir: string, database: string, startedAt: Date): Promise<string> {
  for (let s = 0; ; s++) {
    const name = backupName(database, new Date(startedAt.getTime() + s * 1000));
    if (!(await exists(path.join(dir, name)))) return name;
  }
}

/**
 * Backs up the app's database into `config.dbBackupDir` (see the module doc), then keeps the newest
 * `config.dbBackupRetention` backups (manual runs only).
 * @returns the new backup's metadata and path.
 * @throws DbBackupError (`dbbackup.error.*`): directory not writable, pg_dump missing or too old, pg_dump's
 *   own error, integrity mismatch; or the signal's reason. The partial file is removed in every case.
 */
export async function runDbBackup(options: BackupRunOptions): Promise<BackupEntry> {
  const { config, signal, report } = options;
  const source = databaseOf(options.db);
  if (!source) throw new DbBackupError('not_backupable', 'dbbackup.error.no_connection');
  const startedAt = new Date();
  report({ progress: 10, step: msg('dbbackup.step.init'), bytes_done: 0, bytes_total: 0 });
  const dir = config.dbBackupDir;
  await ensureBackupDir(dir);
  const info = await databaseInfo(options.db);
  const pgDump = source.kind === 'postgres' ? await findPgDump(config.pgDumpPath) : null;
  if (pgDump) await checkPgDumpVersion(pgDump, info.serverVersionNum);
  const name = await freeName(dir, info.name, startedAt);
  const partial = path.join(dir, partialName(name, options.owner));
  signal.throwIfAborted();

  try {
    report({ progress: 20, step: msg('dbbackup.step.dump'), bytes_total: info.sizeBytes });
    let tables = 0;
    let fraction = 0;
    const onProgress = (p: WorkerProgress) => {
      if ('table' in p) {
        if (p.table === '*') return;
        tables++;
        fraction = Math.max(fraction, tables / Math.max(1, info.tableCount));
        report({
          step: msg('dbbackup.step.dump_table', { table: p.table, done: tables, total: info.tableCount }),
        });
      } else {
        fraction = Math.max(fraction, p.raw / Math.max(1, info.sizeBytes));
        report({ bytes_done: Math.min(p.raw, info.sizeBytes) });
      }
      report({ progress: 20 + Math.min(40, Math.floor(40 * fraction)) });
    };
    const dumped = pgDump
      ? await dumpServerToFile(
          { pgDump, env: libpqEnv(source.url as string), dest: partial },
          signal,
          onProgress,
        )
      : await dumpPgliteToFile(
          { tar: await snapshotPglite(source.pglite as NonNullable<typeof source.pglite>), dest: partial },
          signal,
          onProgress,
        );
    report({ progress: 70, step: msg('dbbackup.step.compress'), bytes_done: info.sizeBytes });

    report({ progress: 85, step: msg('dbbackup.step.integrity') });
    const check = await verifyBackupFile(partial, signal);
    if (
      check.sha256 !== dumped.sha256 ||
      check.raw_bytes !== dumped.raw_bytes ||
      check.bytes !== dumped.bytes
    )
      throw new DbBackupError('integrity_failed', 'dbbackup.error.integrity', { name });

    report({ progress: 95, step: msg('dbbackup.step.finalise') });
    const finishedAt = new Date();
    const metadata: BackupMetadata = {
      name,
      size_bytes: dumped.bytes,
      sha256: dumped.sha256,
      raw_bytes: dumped.raw_bytes,
      database: info.name,
      database_kind: source.kind,
      server_version: info.serverVersion,
      app_version: appVersion(),
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      duration_ms: finishedAt.getTime() - startedAt.getTime(),
      table_count: info.tableCount,
      kind: options.kind ?? 'manual',
      format: 'sql+gzip',
    };
    await writeMetadata(dir, metadata);
    await rename(partial, path.join(dir, name));
    if (metadata.kind === 'manual') await applyDbRetention(dir, config.dbBackupRetention, [name]);
    report({ progress: 100, step: msg('dbbackup.step.done') });
    return { ...metadata, path: path.join(dir, name) };
  } catch (err) {
    await rm(partial, { force: true });
    await rm(path.join(dir, name.replace(/\.sql\.gz$/, '.json')), { force: true });
    throw err;
  }
}
