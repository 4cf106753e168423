/**
 * @module backup/transfer-pool: the Piscina pool running backup/transfer-worker, and typed calls into it.
 * The worker is the .ts file under tsx/vitest (loaded with `--import tsx`) and the .js file once built.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { TransferResult } from './transfer-worker.js';

let pool: Piscina | null = null;

function createPool(): Piscina {
  const here = new URL(import.meta.url);
  const ts = here.pathname.endsWith('.ts');
  const filename = new URL(`./transfer-worker.${ts ? 'ts' : 'js'}`, here).href;
  const tsx = ts ? (import.meta.resolve?.('tsx') ?? 'tsx') : null;
  return new Piscina({
    filename,
    minThreads: 0,
    maxThreads: 4,
    idleTimeout: 30_000,
    execArgv: tsx ? ['--import', tsx] : [],
  });
}

/** Stops the pool's threads (at shutdown). Safe to call when it never started. */
export async function closeTransferPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}

/** Progress callback: bytes transferred so far in this file. */
export type OnBytes = (bytes: number) => void;

async function run(
  name: 'download' | 'hashFile',
  task: Record<string, unknown>,
  signal: AbortSignal,
  onBytes: OnBytes,
): Promise<TransferResult> {
  signal.throwIfAborted();
  pool ??= createPool();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (bytes: number) => onBytes(bytes));
  const abort = () => port1.postMessage('abort');
  signal.addEventListener('abort', abort, { once: true });
  try {
    return (await pool.run({ ...task, port: port2 }, { name, transferList: [port2] })) as TransferResult;
  } catch (err) {
    signal.throwIfAborted();
    throw err;
  } finally {
    signal.removeEventListener('abort', abort);
    port1.close();
  }
}

/**
 * Downloads `url` to `dest` in a worker thread, hashing as it streams.
 * @param opts.cookie session cookie; opts.thumbprint pinned certificate fingerprint (HTTPS).
 * @returns bytes written and SHA-256 (hex); `status` set when the host answered other than 200.
 * @throws the signal's reason when aborted (the partial file is left for the caller to remove); I/O errors.
 */
export function downloadToFile(
  opts: { url: string; cookie: string | null; thumbprint: string | null; dest: string },
  signal: AbortSignal,
  onBytes: OnBytes = () => {},
): Promise<TransferResult> {
  return run('download', opts, signal, onBytes);
}

/**
 * Hashes a local file in a worker thread.
 * @returns its size in bytes and SHA-256 (hex). @throws ENOENT and other fs errors; the signal's reason.
 */
export function hashLocalFile(file: string, signal: AbortSignal, onBytes: OnBytes = () => {}) {
  return run('hashFile', { file }, signal, onBytes);
}
