/**
 * @module repository/chunk-store: chunk files under `P/.chunks/<first 4 hex>/<64-hex digest>`. A chunk is
 * written once (temporary file in `P/.tmp/`, fsync, link, directory fsync) and never rewritten: a chunk
 * that is already there is only "touched" (mtime set to now) so that garbage collection keeps it.
 */
import { opendir, readFile, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { decodeBlob } from './blob.js';
import type { Repository } from './config.js';
import { RepositoryError } from './errors.js';
import { putFile } from './files.js';
import { CHUNKS_DIR, chunkName, chunkPath, DIGEST_RE } from './format.js';

export { chunkPath };

/** One chunk file, as listChunks finds it. */
export interface ChunkEntry {
  digest: string;
  /** Absolute path. */
  path: string;
  /** Last write or touch (ms since the epoch). */
  mtimeMs: number;
  /** Blob bytes. */
  size: number;
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Whether repository `dir` holds chunk `digest`. @throws fs errors other than ENOENT. */
export async function hasChunk(dir: string, digest: string): Promise<boolean> {
  try {
    await stat(chunkPath(dir, digest));
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

/**
 * Sets the chunk's mtime (and atime) to now, marking it in use for garbage collection.
 * @returns false when the chunk is not there. @throws fs errors other than ENOENT.
 */
export async function touchChunk(dir: string, digest: string, now: Date = new Date()): Promise<boolean> {
  try {
    await utimes(chunkPath(dir, digest), now, now);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

/**
 * Writes a chunk's blob durably: `.tmp/<random>.tmp`, fsync, moved into `.chunks/xxxx/` (created when
 * missing) without ever replacing a chunk file, directory fsync. When another writer got there first, the
 * chunk is touched instead.
 * @param blob the blob, whole or as parts (encodeBlobParts).
 * @returns blob bytes written (0 when the chunk was there already). @throws fs errors (ENOSPC...); the
 *   temporary file is removed.
 */
export async function writeChunk(
  dir: string,
  digest: string,
  blob: Buffer | readonly Buffer[],
): Promise<number> {
  try {
    return await putFile(dir, chunkPath(dir, digest), Buffer.isBuffer(blob) ? [blob] : blob, {
      exclusive: true,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await touchChunk(dir, digest);
    return 0;
  }
}

/**
 * Reads and checks a chunk.
 * @returns its plaintext (length and digest verified).
 * @throws RepositoryError `chunk_corrupt` { digest, file: `.chunks/xxxx/<digest>` } when missing, unreadable
 *   or not matching its digest.
 */
export async function readChunk(repo: Repository, digest: string): Promise<Buffer> {
  let blob: Buffer;
  try {
    blob = await readFile(chunkPath(repo.dir, digest));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new RepositoryError('chunk_corrupt', { digest, file: chunkName(digest) }, `unreadable: ${code}`, {
      cause: err,
    });
  }
  return decodeBlob(blob, digest, repo.keys);
}

/**
 * Every chunk file of repository `dir` (names that are not 64-hex digests are skipped), prefix directory
 * by prefix directory, in no particular order. A file removed while listing is skipped.
 */
export async function* listChunks(dir: string): AsyncGenerator<ChunkEntry> {
  const root = path.join(dir, CHUNKS_DIR);
  let prefixes: Awaited<ReturnType<typeof opendir>>;
  try {
    prefixes = await opendir(root);
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  for await (const prefix of prefixes) {
    if (!prefix.isDirectory() || !/^[0-9a-f]{4}$/.test(prefix.name)) continue;
    const sub = await opendir(path.join(root, prefix.name));
    for await (const entry of sub) {
      if (!DIGEST_RE.test(entry.name) || !entry.name.startsWith(prefix.name)) continue;
      const file = path.join(root, prefix.name, entry.name);
      const info = await stat(file).catch((err) => {
        if (isMissing(err)) return null;
        throw err;
      });
      if (info?.isFile()) yield { digest: entry.name, path: file, mtimeMs: info.mtimeMs, size: info.size };
    }
  }
}
