/**
 * @module repository/chunk-worker: Piscina worker for the repository's CPU and disk work, off the main
 * event loop. In the chunk pool: `storeChunk` (zero check, digest, touch if the repository has it, else
 * encode with zstd and AES-256-GCM and write it durably) and `loadChunk` (read, decode and verify one chunk,
 * the plaintext moved, not copied, back, or, read into a reused buffer, copied into a chunk slot). In the
 * one-thread hash pool, tasks in order: `hashStart`, `hashUpdate`, `hashEnd` keep the running whole-file
 * digests (SHA-256, or HMAC-SHA256 with id_key), fed with slots of SharedArrayBuffers. Called through
 * repository/pool.ts only.
 */
import type { Hash, Hmac } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { type ChunkKeys, chunkDigest, decodeBlob, encodeBlobParts, fileHash, isZero } from './blob.js';
import { touchChunk, writeChunk } from './chunk-store.js';
import { RepositoryError } from './errors.js';
import { chunkPath } from './format.js';

/** Keys as they cross the thread boundary (a Buffer arrives as a Uint8Array). */
export interface WireKeys {
  enc: Uint8Array;
  id: Uint8Array;
}

export interface StoreChunkTask {
  /** Repository directory. */
  dir: string;
  /**
   * The chunk's plaintext: an ArrayBuffer (transferred, and transferred back in the result), or a slot of
   * a SharedArrayBuffer (shared, not copied; the caller leaves it alone until the task settles).
   */
  plain: ArrayBuffer | SharedArrayBuffer;
  /** Where the chunk starts in `plain` (default 0). */
  offset?: number;
  /** Bytes of the chunk (default: the rest of `plain`). */
  length?: number;
  keys: WireKeys | null;
}

/** `digest` null: an all-zero chunk (not stored). `written`: blob bytes written (0 when reused or zero). */
export interface StoreChunkResult {
  digest: string | null;
  written: number;
  /** Plaintext bytes. */
  length: number;
  /** The task's buffer, transferred back for reuse by the caller (its content is unspecified). */
  plain?: ArrayBuffer;
}

export interface LoadChunkTask {
  dir: string;
  digest: string;
  keys: WireKeys | null;
  /** Copy the plaintext to the start of this shared buffer (a chunk slot) and answer its length only. */
  copyTo?: SharedArrayBuffer;
}

/** loadChunk's answer: the plaintext (moved) or, with `copyTo`, its length; or why the chunk is corrupt. */
export type LoadChunkResult = Uint8Array | number | { corrupt: string };

const ZEROS = Buffer.alloc(4 * 1024 * 1024);

const toBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const toKeys = (keys: WireKeys | null): ChunkKeys | null =>
  keys ? { enc: toBuffer(keys.enc), id: toBuffer(keys.id) } : null;

/** The result, with the task's buffer moved back (Piscina's transferable protocol). */
function giveBack(result: StoreChunkResult, buffer: ArrayBuffer): StoreChunkResult {
  const carrier = { [transferableSymbol]: buffer, [valueSymbol]: { ...result, plain: buffer } };
  return move(carrier as never) as unknown as StoreChunkResult;
}

/** Stores one chunk (see the module header). @throws fs errors (ENOSPC...). */
export async function storeChunk(task: StoreChunkTask): Promise<StoreChunkResult> {
  const offset = task.offset ?? 0;
  const length = task.length ?? task.plain.byteLength - offset;
  const plain = Buffer.from(task.plain, offset, length);
  const done = (result: StoreChunkResult) =>
    task.plain instanceof ArrayBuffer ? giveBack(result, task.plain) : result;
  if (isZero(plain, ZEROS)) return done({ digest: null, written: 0, length });
  const keys = toKeys(task.keys);
  const digest = chunkDigest(plain, keys);
  let written = 0;
  if (!(await touchChunk(task.dir, digest))) {
    written = await writeChunk(task.dir, digest, encodeBlobParts(plain, digest, keys));
  }
  return done({ digest, written, length });
}

/**
 * Blob buffers of this thread for loads into a slot: reused, so that a restore does not allocate (fault in,
 * then collect) a 4 MiB buffer per chunk. At most one per task running at once is in use.
 */
const blobBuffers: Buffer[] = [];

/**
 * Reads chunk file `file` whole into a buffer of `blobBuffers` (give it back once its bytes are used).
 * @returns the buffer and the blob (its first bytes). @throws fs errors (ENOENT...).
 */
async function readPooled(file: string): Promise<{ buffer: Buffer; blob: Buffer }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const spare = blobBuffers.pop();
    const buffer = spare && spare.length >= size ? spare : Buffer.allocUnsafe(size);
    let at = 0;
    for (let n = -1; at < size && n !== 0; at += n)
      n = (await handle.read(buffer, at, size - at, at)).bytesRead;
    return { buffer, blob: buffer.subarray(0, at) };
  } finally {
    await handle.close();
  }
}

/** Loads one chunk, verified. A missing or corrupt chunk is an answer, not a throw (errors lose their class). */
export async function loadChunk(task: LoadChunkTask): Promise<LoadChunkResult> {
  const file = chunkPath(task.dir, task.digest);
  let pooled: Buffer | null = null;
  let plain: Buffer;
  try {
    const read = task.copyTo ? await readPooled(file) : null;
    pooled = read?.buffer ?? null;
    plain = decodeBlob(read ? read.blob : await readFile(file), task.digest, toKeys(task.keys));
    if (task.copyTo) {
      new Uint8Array(task.copyTo, 0, plain.length).set(plain);
      return plain.length;
    }
  } catch (err) {
    if (err instanceof RepositoryError) return { corrupt: err.reason ?? 'corrupt' };
    return { corrupt: `unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  } finally {
    if (pooled && blobBuffers.length < 4) blobBuffers.push(pooled);
  }
  // Move the backing store when it is this chunk's alone; a pooled or larger one is copied first.
  const own = plain.buffer.byteLength - plain.length <= 64 ? plain : new Uint8Array(plain);
  return move(own) as unknown as Uint8Array;
}

const digests = new Map<number, Hash | Hmac>();

/** Starts digest `id` (keyed when `idKey` is given). */
export function hashStart(task: { id: number; idKey: Uint8Array | null }): void {
  digests.set(task.id, fileHash(task.idKey));
}

/** Adds `length` bytes at `offset` of `buffer` to digest `id`. @throws Error when `id` was not started. */
export function hashUpdate(task: {
  id: number;
  buffer: SharedArrayBuffer;
  offset: number;
  length: number;
}): void {
  const hash = digests.get(task.id);
  if (!hash) throw new Error(`digest ${task.id} was not started`);
  hash.update(new Uint8Array(task.buffer, task.offset, task.length));
}

/** Ends digest `id`. @returns its hex value, or null when `drop` (an abandoned file). */
export function hashEnd(task: { id: number; drop?: boolean }): string | null {
  const hash = digests.get(task.id);
  digests.delete(task.id);
  if (!hash || task.drop) return null;
  return hash.digest('hex');
}
