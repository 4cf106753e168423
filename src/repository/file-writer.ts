/**
 * @module repository/file-writer: one file of a restore point being stored, chunk by chunk. `writeStream`
 * re-slices a byte stream into chunk_size pieces (SharedArrayBuffer slots of the slot pool, no garbage)
 * that the chunk workers store while the hash thread computes the whole-file digest in order; `writeSlots`
 * does the same with slots a reader filled itself (no copy at all).
 * `writePieces` builds a file incrementally: each piece is either read bytes, stored the same way, or the
 * digest of a chunk an earlier restore point holds (taken as it is, the caller having checked it is there);
 * its whole-file digest cannot be computed without every byte, so the file gets `chunks_sha256` instead.
 * At most MAX_IN_FLIGHT pieces are in flight (memory bound: about (MAX_IN_FLIGHT + 1) x chunk_size).
 */
import { chunkListDigest } from './blob.js';
import type { Repository } from './config.js';
import { chunkCount, type IndexFile, pieceLength } from './format.js';
import { fileDigest, MAX_IN_FLIGHT, storeChunk } from './pool.js';

/** What a file being written needs from its restore point writer: slots and the byte count of new blobs. */
export interface FileWriterContext {
  repo: Repository;
  /** A free chunk_size slot. */
  take(): SharedArrayBuffer;
  /** Gives a slot back once no task reads it. */
  give(slot: SharedArrayBuffer): void;
  /** Counts blob bytes newly written. */
  wrote(bytes: number): void;
}

/** A slot of the slot pool filled by a reader: `length` bytes, chunk_size for every slot but a file's last. */
export interface FilledSlot {
  slot: SharedArrayBuffer;
  length: number;
}

/** One piece (chunk_size bytes, shorter at the end) of a file built incrementally. */
export type Piece = { data: Uint8Array } | { digest: string | null };

/** The chunk pipeline of one file: stores pieces in order, at most MAX_IN_FLIGHT at once. */
function pipeline(ctx: FileWriterContext) {
  const chunks: Array<string | null> = [];
  const queue: Array<Promise<void>> = [];
  return {
    chunks,
    /** Stores `length` bytes of `slot` as the next chunk; `alsoDone` is awaited with it (a digest update). */
    async store(slot: SharedArrayBuffer, length: number, alsoDone: Promise<void> = Promise.resolve()) {
      const at = chunks.push(null) - 1;
      const stored = storeChunk({ dir: ctx.repo.dir, plain: slot, length, keys: ctx.repo.keys }).then((r) => {
        chunks[at] = r.digest;
        ctx.wrote(r.written);
      });
      const done = Promise.all([stored, alsoDone]).then(() => ctx.give(slot));
      done.catch(() => {});
      queue.push(done);
      if (queue.length >= MAX_IN_FLIGHT) await queue.shift();
    },
    /** @throws the first failure of a stored piece. */
    finish: () => Promise.all(queue),
    /** Waits for every piece in flight, whatever their outcome (before an error is thrown). */
    settle: () => Promise.allSettled(queue),
  };
}

/**
 * Stores a file read from `source` (each Buffer is copied, never kept or detached).
 * @param onBytes called with the bytes read so far (cumulative).
 * @returns its index entry once every chunk is durable, with the whole-file digest.
 * @throws the signal's reason when aborted (in-flight chunks are awaited first); fs errors; the source's errors.
 */
export async function writeStream(
  ctx: FileWriterContext,
  name: string,
  source: AsyncIterable<Uint8Array>,
  onBytes: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<IndexFile> {
  const chunkSize = ctx.repo.config.chunk_size;
  const digest = fileDigest(ctx.repo.keys);
  const pipe = pipeline(ctx);
  let piece = ctx.take();
  let view = new Uint8Array(piece);
  let fill = 0;
  let size = 0;
  const submit = async () => {
    const slot = piece;
    const length = fill;
    piece = ctx.take();
    view = new Uint8Array(piece);
    fill = 0;
    await pipe.store(slot, length, digest.update(slot, 0, length));
  };
  try {
    for await (const data of source) {
      signal?.throwIfAborted();
      size += data.length;
      for (let at = 0; at < data.length; ) {
        const n = Math.min(chunkSize - fill, data.length - at);
        view.set(data.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === chunkSize) await submit();
      }
      onBytes(size);
    }
    signal?.throwIfAborted();
    if (fill > 0) await submit();
    await pipe.finish();
    return { name, size, sha256: await digest.end(), chunks: pipe.chunks };
  } catch (err) {
    await pipe.settle();
    await digest.drop().catch(() => {});
    throw err;
  } finally {
    ctx.give(piece);
  }
}

/**
 * Stores a file read into slots by its reader (no copy): each slot becomes a chunk, and goes back to the
 * slot pool (ctx.give) once stored (and hashed).
 * @param sha256 the whole-file digest the reader made of the same bytes (repository/blob.ts `fileHash`),
 *   asked once the source ended; without it the hash thread computes it from the slots.
 * @returns its index entry once every chunk is durable, with the whole-file digest.
 * @throws Error when a slot other than the last is not full; the signal's reason; fs errors; the source's.
 */
export async function writeSlots(
  ctx: FileWriterContext,
  name: string,
  source: AsyncIterable<FilledSlot>,
  signal?: AbortSignal,
  sha256?: () => string,
): Promise<IndexFile> {
  const chunkSize = ctx.repo.config.chunk_size;
  const digest = sha256 ? null : fileDigest(ctx.repo.keys);
  const pipe = pipeline(ctx);
  let size = 0;
  try {
    for await (const { slot, length } of source) {
      signal?.throwIfAborted();
      if (size % chunkSize !== 0 || length > chunkSize)
        throw new Error(`${name}: a short slot before the end`);
      size += length;
      await pipe.store(slot, length, digest?.update(slot, 0, length));
    }
    signal?.throwIfAborted();
    await pipe.finish();
    return {
      name,
      size,
      sha256: digest ? await digest.end() : (sha256 as () => string)(),
      chunks: pipe.chunks,
    };
  } catch (err) {
    await pipe.settle();
    await digest?.drop().catch(() => {});
    throw err;
  }
}

/**
 * Stores a file of `size` bytes from its pieces, in order (piece i: bytes i x chunk_size.. of the file).
 * @returns its index entry (sha256 null, chunks_sha256 set) once every chunk is durable.
 * @throws Error when a piece has the wrong length or the count is wrong; the signal's reason; fs errors.
 */
export async function writePieces(
  ctx: FileWriterContext,
  name: string,
  size: number,
  pieces: AsyncIterable<Piece>,
  signal?: AbortSignal,
): Promise<IndexFile> {
  const chunkSize = ctx.repo.config.chunk_size;
  const pipe = pipeline(ctx);
  try {
    for await (const piece of pieces) {
      signal?.throwIfAborted();
      const i = pipe.chunks.length;
      const length = pieceLength(i, size, chunkSize);
      if ('digest' in piece) {
        pipe.chunks.push(piece.digest);
        continue;
      }
      if (piece.data.length !== length) throw new Error(`piece ${i} of ${name}: ${piece.data.length} bytes`);
      const slot = ctx.take();
      new Uint8Array(slot).set(piece.data);
      await pipe.store(slot, length);
    }
    signal?.throwIfAborted();
    if (pipe.chunks.length !== chunkCount(size, chunkSize)) throw new Error(`${name}: wrong piece count`);
    await pipe.finish();
  } catch (err) {
    await pipe.settle();
    throw err;
  }
  const chunks = pipe.chunks;
  return { name, size, sha256: null, chunks_sha256: chunkListDigest(chunks, ctx.repo.keys), chunks };
}
