/**
 * @module db-backup/pool: typed calls into db-backup/worker (dump, gzip and hash in worker threads).
 */
import { type WorkerPool, workerPool } from '../workers/pool.js';
import { DbBackupError } from './errors.js';
import { type DumpResult, PG_DUMP_FAILED } from './worker.js';

const pool: WorkerPool = workerPool(import.meta.url, 'worker', { maxThreads: 2, idleSeconds: 10 });

/** What the worker reports while it runs: bytes of SQL so far, or the table being dumped. */
export type WorkerProgress = { raw: number } | { table: string };

function run(
  name: 'dumpServer' | 'dumpPglite' | 'verify',
  task: Record<string, unknown>,
  signal: AbortSignal,
  onProgress: (p: WorkerProgress) => void,
  transfer: ArrayBuffer[] = [],
): Promise<DumpResult> {
  return pool.run<DumpResult, WorkerProgress>(name, task, signal, onProgress, transfer);
}

/**
 * Runs pg_dump in a worker thread, streaming its SQL through gzip and SHA-256 into `dest`.
 * @param env libpq variables for the server (tools.ts `libpqEnv`).
 * @returns compressed size and SHA-256, SQL bytes.
 * @throws DbBackupError `pg_dump_failed` with pg_dump's first error line; the signal's reason.
 */
export async function dumpServerToFile(
  opts: { pgDump: string; env: Record<string, string>; dest: string },
  signal: AbortSignal,
  onProgress: (p: WorkerProgress) => void,
): Promise<DumpResult> {
  try {
    return await run('dumpServer', opts, signal, onProgress);
  } catch (err) {
    // The worker's errors cross the thread as plain Errors: pg_dump's own is told by its prefix.
    const text = err instanceof Error ? err.message : '';
    if (!text.startsWith(PG_DUMP_FAILED)) throw err;
    throw new DbBackupError('pg_dump_failed', 'dbbackup.error.pg_dump_failed', {
      detail: text.slice(PG_DUMP_FAILED.length),
    });
  }
}

/**
 * Dumps a copy of the embedded database (`tar`: its `dumpDataDir()` bytes, moved to the worker) into `dest`.
 * @returns as `dumpServerToFile`. @throws pglite-tools' error; the signal's reason.
 */
export function dumpPgliteToFile(
  opts: { tar: Uint8Array; dest: string },
  signal: AbortSignal,
  onProgress: (p: WorkerProgress) => void,
): Promise<DumpResult> {
  return run('dumpPglite', opts, signal, onProgress, [opts.tar.buffer as ArrayBuffer]);
}

/**
 * Re-reads `file` in a worker: SHA-256 and size of the file, size of its decompressed SQL.
 * @throws a zlib error when it does not decompress; fs errors; the signal's reason.
 */
export function verifyBackupFile(file: string, signal: AbortSignal): Promise<DumpResult> {
  return run('verify', { file }, signal, () => {});
}
