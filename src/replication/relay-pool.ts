/**
 * @module replication/relay-pool: the Piscina pool running replication/relay-worker (host-to-host file
 * copies), and the typed call into it. The worker is the .ts file under tsx/vitest (loaded with
 * `--import tsx`) and the .js file once built.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { RelayEndpoint, RelayResult } from './relay-worker.js';

let pool: Piscina | null = null;

function createPool(): Piscina {
  const here = new URL(import.meta.url);
  const ts = here.pathname.endsWith('.ts');
  const filename = new URL(`./relay-worker.${ts ? 'ts' : 'js'}`, here).href;
  const tsx = ts ? (import.meta.resolve?.('tsx') ?? 'tsx') : null;
  return new Piscina({
    filename,
    minThreads: 0,
    maxThreads: 2,
    idleTimeout: 30_000,
    execArgv: tsx ? ['--import', tsx] : [],
  });
}

/** Stops the pool's threads (at shutdown). Safe to call when it never started. */
export async function closeRelayPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}

/**
 * Copies one datastore file between two hosts in a worker thread (GET piped into PUT, SHA-256 of the bytes
 * read, then the destination read back and compared).
 * @param onBytes called with the bytes copied so far in this file.
 * @returns bytes, SHA-256 (hex) and, on failure, which side failed and its HTTP status (see RelayResult).
 * @throws the signal's reason when aborted (the destination file may be partial); network errors.
 */
export async function relayFile(
  source: RelayEndpoint,
  dest: RelayEndpoint,
  signal: AbortSignal,
  onBytes: (bytes: number) => void = () => {},
): Promise<RelayResult> {
  signal.throwIfAborted();
  pool ??= createPool();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (bytes: number) => onBytes(bytes));
  const abort = () => port1.postMessage('abort');
  signal.addEventListener('abort', abort, { once: true });
  try {
    const task = { source, dest, port: port2 };
    return (await pool.run(task, { name: 'relay', transferList: [port2] })) as RelayResult;
  } catch (err) {
    signal.throwIfAborted();
    throw err;
  } finally {
    signal.removeEventListener('abort', abort);
    port1.close();
  }
}
