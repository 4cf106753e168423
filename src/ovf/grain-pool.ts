/**
 * @module ovf/grain-pool: runs ovf/grain-worker `compressGrains` on a Piscina pool of one thread per core,
 * so that the deflate of a disk's grains stays off the main event loop.
 */
import os from 'node:os';
import { type WorkerPool, workerPool } from '../workers/pool.js';
import type { GrainResult } from './grain-worker.js';

/** Compression tasks in flight at most (one per core). */
export const GRAIN_THREADS = os.availableParallelism();

const pool: WorkerPool = workerPool(import.meta.url, 'grain-worker', {
  maxThreads: GRAIN_THREADS,
  idleSeconds: 30,
});

/**
 * Compresses and frames the grains of one piece of a disk in a worker.
 * @param slot the piece's bytes (shared; leave it alone until this settles); length its byte count;
 *   firstGrain the disk grain number of its first byte; level the zlib level (1-9).
 * @throws the signal's reason when aborted.
 */
export function compressPiece(
  slot: SharedArrayBuffer,
  length: number,
  firstGrain: number,
  level: number,
  signal: AbortSignal,
): Promise<GrainResult> {
  return pool.run<GrainResult>('compressGrains', { slot, length, firstGrain, level }, signal);
}
