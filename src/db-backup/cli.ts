/**
 * @module db-backup/cli: `npm run db:backup`, the seed's `manage.py db_backup` (seed 004 "Via CLI"):
 *   npm run db:backup                              creates a backup (like the 💾 button)
 *   npm run db:backup -- --restore [--yes]         restores the newest backup (safety backups excluded)
 *   npm run db:backup -- --restore-path <file> [--yes]   restores that file
 * A restore checks the file against its metadata first, asks for confirmation (or `--yes`; without a
 * terminal and without `--yes` it refuses), takes a safety backup, then restores in one transaction.
 * On the embedded database it refuses while the app runs (PGlite allows one process only).
 * Exit codes: 0 done; 1 failed; 2 bad usage; 3 refused (database in use, not confirmed); 4 corrupt backup.
 */
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { type Database, openDatabase } from '../db/client.js';
import { translator } from '../i18n/translate.js';
import type { ProgressUpdate } from '../jobs/types.js';
import { closeWorkerPools } from '../workers/pool.js';
import { runDbBackup } from './engine.js';
import { listBackupFiles } from './metadata.js';
import { checkBackupIntegrity, IntegrityError, restoreBackup } from './restore.js';

const USAGE = 'usage: npm run db:backup [-- --restore | --restore-path <file>] [--yes]';

/** A failure with its exit code and one-line message. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;

/** Prints each new step in English (the terminal of an admin shell), leaving out the per-table ones. */
function progressPrinter(): (update: ProgressUpdate) => void {
  const t = translator('en');
  let last = '';
  return (update) => {
    if (!update.step || update.step.key === 'dbbackup.step.dump_table') return;
    const text = t.message(update.step);
    if (text !== last) {
      last = text;
      console.error(`  ${text}`);
    }
  };
}

async function open(config: ReturnType<typeof loadConfig>): Promise<Database> {
  try {
    return await openDatabase(config);
  } catch (err) {
    if ((err as Error).name !== 'DatabaseLockedError') throw err;
    throw new CliError(
      `refused: ${(err as Error).message}. Stop the app first, or back up from its page (💾, Ctrl+Alt+S).`,
      3,
    );
  }
}

async function confirm(question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY)
    throw new CliError(
      'refused: a restore replaces all the data; confirm with --yes (no terminal to ask).',
      3,
    );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = (await rl.question(`${question} [yes/no] `)).trim().toLowerCase();
  rl.close();
  if (!['yes', 'y', 'oui', 'o'].includes(answer)) throw new CliError('refused: not confirmed.', 3);
}

async function main(argv: string[]): Promise<void> {
  let values: { restore?: boolean; 'restore-path'?: string; yes?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { restore: { type: 'boolean' }, 'restore-path': { type: 'string' }, yes: { type: 'boolean' } },
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const config = loadConfig();
  const database = await open(config);
  const signal = new AbortController().signal;
  try {
    const backup = (kind: 'manual' | 'safety') =>
      runDbBackup({
        db: database.db,
        config,
        signal,
        report: progressPrinter(),
        owner: `cli${process.pid}`,
        kind,
      });
    if (!values.restore && !values['restore-path']) {
      const b = await backup('manual');
      console.log(`backup written: ${b.path} (${mb(b.size_bytes)}, sha256 ${b.sha256})`);
      return;
    }
    const file = values['restore-path']
      ? path.resolve(values['restore-path'])
      : (await listBackupFiles(config.dbBackupDir)).find((b) => b.kind === 'manual')?.path;
    if (!file) throw new CliError(`no backup to restore in ${config.dbBackupDir}`, 1);
    const metadata = await checkBackupIntegrity(file);
    if (metadata.database_kind !== database.kind)
      throw new CliError(
        `${file} is a backup of a ${metadata.database_kind} database, this one is ${database.kind}`,
        1,
      );
    await confirm(
      `Restore ${path.basename(file)} into ${database.location}, replacing all its data?`,
      !!values.yes,
    );
    const safety = await backup('safety');
    console.error(`  safety backup of the current data: ${safety.path}`);
    await restoreBackup(database, file, config.pgDumpPath);
    console.log(
      `restored ${file} (${metadata.finished_at}) into ${database.location}; previous data: ${safety.path}`,
    );
  } finally {
    await database.close();
    await closeWorkerPools();
  }
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  const code = err instanceof CliError ? err.code : err instanceof IntegrityError ? 4 : 1;
  console.error(`db:backup: ${(err as Error).message.split('\n').join('\n  ')}`);
  process.exitCode = code;
}
