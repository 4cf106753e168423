/**
 * @module backup/transfer-pool: typed calls into backup/transfer-worker (hashing local files in worker
 * threads, for verifying legacy directory backups).
 */
import { type WorkerPool, workerPool } from '../workers/pool.js';
import type { TransferResult } from './transfer-worker.js';

const pool: WorkerPool = workerPool(import.meta.url, 'transfer-worker', { maxThreads: 4, idleSeconds: 30 });

/** Progress callback: bytes read so far in this file. */
export type OnBytes = (bytes: number) => void;

/**
 * Hashes a local file in a worker thread.
 * @returns its size in bytes and SHA-256 (hex). @throws ENOENT and other fs errors; the signal's reason.
 */
export function hashLocalFile(
  file: string,
  signal: AbortSignal,
  onBytes: OnBytes = () => {},
): Promise<TransferResult> {
  return pool.run<TransferResult, number>('hashFile', { file }, signal, onBytes);
}
