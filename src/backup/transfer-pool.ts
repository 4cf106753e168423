/**
 * @module backup/transfer-pool: typed calls into backup/transfer-worker (downloads and hashing in worker
 * threads).
 */
import { type WorkerPool, workerPool } from '../workers/pool.js';
import type { TransferResult } from './transfer-worker.js';

const pool: WorkerPool = workerPool(import.meta.url, 'transfer-worker', { maxThreads: 4, idleSeconds: 30 });

/** Progress callback: bytes transferred so far in this file. */
export type OnBytes = (bytes: number) => void;

const run = (
  name: 'download' | 'hashFile',
  task: Record<string, unknown>,
  signal: AbortSignal,
  onBytes: OnBytes,
) => pool.run<TransferResult, number>(name, task, signal, onBytes);

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
