/**
 * @module repository/pool: the Piscina pools of the repository. Chunks: repository/chunk-worker, one thread
 * per core, each running two tasks at once (one hashes or compresses while the other waits on its fsync).
 * Whole-file digests: the same worker module in one thread, tasks in order. Started on first use or at
 * the app's start-up (`warmChunkPools`), their threads kept for the pool's life (no backup pays their start);
 * idle threads never keep the process alive. Like src/workers/pool.ts, a worker is the .ts file under
 * tsx/vitest (`--import tsx`) and the .js file once built. Also the process's one pool of chunk slots.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import type { ChunkKeys } from './blob.js';
import type { LoadChunkResult, StoreChunkResult, WireKeys } from './chunk-worker.js';
import type { Repository } from './config.js';
import { RepositoryError } from './errors.js';
import { chunkName } from './format.js';

export type { StoreChunkResult } from './chunk-worker.js';

/** Threads of the pool: os.availableParallelism(). */
export const POOL_SIZE = os.availableParallelism();
/** Chunks a writer or reader keeps in flight at most: 2 x POOL_SIZE (bounded memory: x chunk_size). */
export const MAX_IN_FLIGHT = 2 * POOL_SIZE;

/** Free slots kept for reuse, per size: enough for two writers and a reader at once. */
const SLOTS_KEPT = 3 * (MAX_IN_FLIGHT + 2);
const freeSlots = new Map<number, SharedArrayBuffer[]>();

/**
 * A chunk slot of `size` bytes (content unspecified) from the process's one slot pool. Every writer and
 * reader takes its slots here and gives them back, so that the few SharedArrayBuffers worker threads have
 * seen (and may still reference until their next collection) are reused rather than piling up. Each user
 * bounds what it holds (MAX_IN_FLIGHT + 2), so the pool never waits: it allocates when none is free.
 */
export function takeSlot(size: number): SharedArrayBuffer {
  return freeSlots.get(size)?.pop() ?? new SharedArrayBuffer(size);
}

/** Gives a slot back once no task reads or writes it; beyond SLOTS_KEPT of its size it is dropped. */
export function giveSlot(slot: SharedArrayBuffer): void {
  const free = freeSlots.get(slot.byteLength) ?? [];
  freeSlots.set(slot.byteLength, free);
  if (free.length < SLOTS_KEPT && !free.includes(slot)) free.push(slot);
}

let pool: Piscina | null = null;
let hasher: Piscina | null = null;

function start(basename: string, threads: { min: number; max: number; concurrent: number; idleMs: number }) {
  const here = new URL(import.meta.url);
  const ts = here.pathname.endsWith('.ts');
  const tsx = ts ? (import.meta.resolve?.('tsx') ?? 'tsx') : null;
  return new Piscina({
    filename: new URL(`./${basename}.${ts ? 'ts' : 'js'}`, here).href,
    minThreads: threads.min,
    maxThreads: threads.max,
    concurrentTasksPerWorker: threads.concurrent,
    idleTimeout: threads.idleMs,
    execArgv: tsx ? ['--import', tsx] : [],
  });
}
const chunkPool = () => {
  pool ??= start('chunk-worker', { min: POOL_SIZE, max: POOL_SIZE, concurrent: 2, idleMs: 30_000 });
  return pool;
};
/** One thread that never stops while the pool lives: the digests in progress are its state. */
const hashPool = () => {
  hasher ??= start('chunk-worker', { min: 1, max: 1, concurrent: 1, idleMs: Number.POSITIVE_INFINITY });
  return hasher;
};
/** Starts the chunk and digest threads now (the app's start-up), so that no backup or restore waits for them. */
export function warmChunkPools(): void {
  chunkPool();
  hashPool();
}

const wire = new WeakMap<ChunkKeys, WireKeys>();
/** The keys a worker needs (never the master key), copied once per key set. */
function wireKeys(keys: ChunkKeys | null): WireKeys | null {
  if (!keys) return null;
  let w = wire.get(keys);
  if (!w) {
    w = { enc: new Uint8Array(keys.enc), id: new Uint8Array(keys.id) };
    wire.set(keys, w);
  }
  return w;
}

/**
 * Stores one chunk in a worker: zero check, digest, touch when present, else encode and write durably.
 * @param task.plain the plaintext: an ArrayBuffer is TRANSFERRED (detached here once called, handed back as
 *   `result.plain`); a SharedArrayBuffer is shared (do not change it before the promise settles).
 *   task.offset / task.length: the chunk's bytes in it (default all); task.keys the repository's keys or null.
 * @returns digest (null for all zeros), blob bytes written (0 when reused or zero), plaintext length.
 * @throws fs errors from the worker (ENOSPC...).
 */
export function storeChunk(task: {
  dir: string;
  plain: ArrayBuffer | SharedArrayBuffer;
  offset?: number;
  length?: number;
  keys: ChunkKeys | null;
}): Promise<StoreChunkResult> {
  const { dir, plain, offset, length } = task;
  return chunkPool()
    .run(
      { dir, plain, offset, length, keys: wireKeys(task.keys) },
      { name: 'storeChunk', transferList: plain instanceof ArrayBuffer ? [plain] : [] },
    )
    .catch(withFsCode);
}

/**
 * Gives an error from a worker its fs `code` back: an Error crossing the thread boundary keeps its message
 * (`ENOSPC: no space left on device, write`) but loses its own properties. @throws always.
 */
function withFsCode(err: unknown): never {
  const code = err instanceof Error ? /^(E[A-Z]+): /.exec(err.message)?.[1] : undefined;
  if (code && !(err as NodeJS.ErrnoException).code) (err as NodeJS.ErrnoException).code = code;
  throw err;
}

/** A whole-file digest computed in the hash thread, fed in file order. */
export interface FileDigest {
  /** Adds bytes of a SharedArrayBuffer (read once the promise settles; do not change them before). */
  update(buffer: SharedArrayBuffer, offset: number, length: number): Promise<void>;
  /** @returns the hex digest. */
  end(): Promise<string>;
  /** Forgets it (a file abandoned midway). */
  drop(): Promise<void>;
}

let nextDigest = 1;

/**
 * A new whole-file digest: SHA-256, or HMAC-SHA256(keys.id) when keys are given. Calls are chained (each
 * task posted once the previous one is done): Piscina does not keep the order of tasks posted together.
 */
export function fileDigest(keys: ChunkKeys | null): FileDigest {
  const id = nextDigest++;
  let tail: Promise<unknown> = Promise.resolve();
  const run = <T>(name: string, task: Record<string, unknown>): Promise<T> => {
    const next = tail.then(() => hashPool().run({ id, ...task }, { name }) as Promise<T>);
    tail = next.catch(() => {});
    return next;
  };
  void run<void>('hashStart', { idKey: wireKeys(keys)?.id ?? null }).catch(() => {});
  return {
    update: (buffer, offset, length) => run('hashUpdate', { buffer, offset, length }),
    end: () => run<string>('hashEnd', {}),
    drop: () => run<void>('hashEnd', { drop: true }),
  };
}

/**
 * Reads, decodes and verifies one chunk in a worker; the plaintext is moved back, not copied.
 * @throws RepositoryError `chunk_corrupt` { digest, file } (file: `fileName` when given, else the chunk file).
 */
export async function loadChunk(repo: Repository, digest: string, fileName?: string): Promise<Buffer> {
  const result = await load<Uint8Array>(repo, digest, fileName);
  return Buffer.from(result.buffer, result.byteOffset, result.byteLength);
}

/**
 * Reads, decodes and verifies one chunk in a worker, into `slot` (at least the chunk's length).
 * @returns the chunk's length. @throws as loadChunk.
 */
export function loadChunkInto(
  repo: Repository,
  digest: string,
  fileName: string,
  slot: SharedArrayBuffer,
): Promise<number> {
  return load<number>(repo, digest, fileName, slot);
}

/** Runs one `loadChunk` task: the plaintext without `copyTo`, else its length. @throws as loadChunk. */
async function load<T extends Uint8Array | number>(
  repo: Repository,
  digest: string,
  fileName?: string,
  copyTo?: SharedArrayBuffer,
): Promise<T> {
  const result: LoadChunkResult = await chunkPool().run(
    { dir: repo.dir, digest, keys: wireKeys(repo.keys), copyTo },
    { name: 'loadChunk' },
  );
  if (typeof result === 'object' && 'corrupt' in result)
    throw new RepositoryError(
      'chunk_corrupt',
      { digest, file: fileName ?? chunkName(digest) },
      result.corrupt,
    );
  return result as T;
}

/** Stops the pools' threads (tests, CLI exit). Safe when they never started. */
export async function closeChunkPool(): Promise<void> {
  const running = [pool, hasher];
  pool = null;
  hasher = null;
  await Promise.all(running.map((p) => p?.destroy()));
}
