/**
 * @module db-backup/pool: the Piscina pool running db-backup/worker, and typed calls into it. The worker is
 * the .ts file under tsx/vitest (loaded with `--import tsx`) and the .js file once built, as for VM backups.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { DumpResult } from './worker.js';

let pool: Piscina | null = null;

function createPool(): Piscina {
  const here = new URL(import.meta.url);
  const ts = here.pathname.endsWith('.ts');
  const filename = new URL(`./worker.${ts ? 'ts' : 'js'}`, here).href;
  const tsx = ts ? (import.meta.resolve?.('tsx') ?? 'tsx') : null;
  return new Piscina({
    filename,
    minThreads: 0,
    maxThreads: 2,
    idleTimeout: 10_000,
    execArgv: tsx ? ['--import', tsx] : [],
  });
}

/** Stops the pool's threads (the CLI calls it before exiting). Safe when it never started. */
export async function closeDbBackupPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}

/** What the worker reports while it runs: bytes of SQL so far, or the table being dumped. */
export type WorkerProgress = { raw: number } | { table: string };

async function run(
  name: 'dumpServer' | 'dumpPglite' | 'verify',
  task: Record<string, unknown>,
  signal: AbortSignal,
  onProgress: (p: WorkerProgress) => void,
  transfer: ArrayBuffer[] = [],
): Promise<DumpResult> {
  signal.throwIfAborted();
  pool ??= createPool();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (m: WorkerProgress) => onProgress(m));
  const abort = () => port1.postMessage('abort');
  signal.addEventListener('abort', abort, { once: true });
  try {
    return (await pool.run(
      { ...task, port: port2 },
      { name, transferList: [port2, ...transfer] },
    )) as DumpResult;
  } catch (err) {
    signal.throwIfAborted();
    throw err;
  } finally {
    signal.removeEventListener('abort', abort);
    port1.close();
  }
}

/**
 * Runs pg_dump in a worker thread, streaming its SQL through gzip and SHA-256 into `dest`.
 * @param env libpq variables for the server (tools.ts `libpqEnv`).
 * @returns compressed size and SHA-256, SQL bytes. @throws Error `pg_dump failed: ...`; the signal's reason.
 */
export function dumpServerToFile(
  opts: { pgDump: string; env: Record<string, string>; dest: string },
  signal: AbortSignal,
  onProgress: (p: WorkerProgress) => void,
): Promise<DumpResult> {
  return run('dumpServer', opts, signal, onProgress);
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
