/**
 * @module replication/relay-pool: the typed call into replication/relay-worker (host-to-host file copies
 * in worker threads): the copy and its check run at once, in threads of two pools, so that a check never
 * waits for a thread held by a copy.
 */
import { MessageChannel } from 'node:worker_threads';
import { type WorkerPool, workerPool } from '../workers/pool.js';
import type { RelayEndpoint, RelayResult } from './relay-worker.js';

const copies: WorkerPool = workerPool(import.meta.url, 'relay-worker', { maxThreads: 2, idleSeconds: 30 });
const checks: WorkerPool = workerPool(import.meta.url, 'relay-worker', { maxThreads: 2, idleSeconds: 30 });

/**
 * Copies one datastore file between two hosts (GET piped into PUT, SHA-256 of the bytes read) while another
 * thread reads the destination back behind it and hashes it; both digests must match.
 * @param onBytes called with the bytes copied so far in this file.
 * @returns bytes, SHA-256 (hex) and, on failure, which side failed and its HTTP status, or `'verify'` with
 *   the digest that `landed` (see RelayResult); `copyMs`, and `verifyMs` spent checking after the copy.
 * @throws the signal's reason when aborted (the destination file may be partial); network errors.
 */
export async function relayFile(
  source: RelayEndpoint,
  dest: RelayEndpoint,
  signal: AbortSignal,
  onBytes: (bytes: number) => void = () => {},
): Promise<RelayResult> {
  const { port1, port2 } = new MessageChannel();
  const stop = new AbortController();
  const either = AbortSignal.any([signal, stop.signal]);
  const check = checks.run<string | null>('verifyLanding', { dest, frontier: port2 }, either, undefined, [
    port2,
  ]);
  check.catch(() => {}); // awaited below, unless the copy fails first
  let copied: RelayResult;
  try {
    copied = await copies.run<RelayResult, number>(
      'relay',
      { source, dest, frontier: port1 },
      signal,
      onBytes,
      [port1],
    );
  } catch (err) {
    stop.abort(err);
    throw err;
  }
  const checkStarted = performance.now();
  const landed = await check;
  if (copied.failed) return copied;
  const result = { ...copied, landed: landed ?? '', verifyMs: performance.now() - checkStarted };
  return landed === copied.sha256 ? result : { ...result, failed: 'verify' };
}
