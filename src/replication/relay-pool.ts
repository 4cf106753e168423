/**
 * @module replication/relay-pool: the typed call into replication/relay-worker (host-to-host file copies
 * in worker threads).
 */
import { type WorkerPool, workerPool } from '../workers/pool.js';
import type { RelayEndpoint, RelayResult } from './relay-worker.js';

const pool: WorkerPool = workerPool(import.meta.url, 'relay-worker', { maxThreads: 2, idleSeconds: 30 });

/**
 * Copies one datastore file between two hosts in a worker thread (GET piped into PUT, SHA-256 of the bytes
 * read, then the destination read back and compared).
 * @param onBytes called with the bytes copied so far in this file.
 * @returns bytes, SHA-256 (hex) and, on failure, which side failed and its HTTP status (see RelayResult).
 * @throws the signal's reason when aborted (the destination file may be partial); network errors.
 */
export function relayFile(
  source: RelayEndpoint,
  dest: RelayEndpoint,
  signal: AbortSignal,
  onBytes: (bytes: number) => void = () => {},
): Promise<RelayResult> {
  return pool.run<RelayResult, number>('relay', { source, dest }, signal, onBytes);
}
