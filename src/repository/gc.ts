/**
 * @module repository/gc: garbage collection of a repository, in PBS's two phases. Mark: every chunk that
 * an index names is touched (its mtime set to now). Sweep: every chunk whose mtime is still older than the
 * cutoff is removed, with the temporary files older than the cutoff. A backup running meanwhile, in any
 * process, writes or touches each chunk it uses after it started, so a cutoff earlier than the start of
 * every running backup never sweeps a chunk it will name (a touch racing the sweep of that very chunk is
 * caught too: see sweepChunk).
 * The caller computes the cutoff (min(GC start, start of the oldest running backup) minus 5 minutes) and
 * holds the one-GC-per-repository lock.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { type ChunkEntry, listChunks, touchChunk } from './chunk-store.js';
import type { Repository } from './config.js';
import { TMP_DIR } from './format.js';
import { eachLimited, isFsError } from './parallel.js';
import { listIndexes, readIndex } from './reader.js';

/** Progress of a collection: indexes read while marking, chunks looked at while sweeping. */
export interface GcProgress {
  phase: 'mark' | 'sweep';
  done: number;
  /** Known while marking (the number of indexes). */
  total?: number;
}

export interface GcResult {
  chunksRemoved: number;
  bytesRemoved: number;
  chunksKept: number;
  /** Indexes read in the mark phase. */
  indexes: number;
  /** Distinct chunks named by an index but missing (verify marks their restore points corrupt). */
  chunksMissing: number;
  tmpFilesRemoved: number;
}

/** Touches in flight at once while marking (file-system metadata calls, cheap but not free). */
const MARK_CONCURRENCY = 16;

/**
 * Collects the garbage of a repository.
 * @param options.cutoff chunks and temporary files with an mtime before it are removed; a cutoff later than
 *   one second before this collection starts is taken as that (chunks marked now are never swept, even
 *   where the file system keeps mtimes to the second).
 * @param options.onProgress called as indexes are read and chunks swept.
 * @param options.signal aborts between steps; an abort while marking removes nothing.
 * @returns what was removed and kept.
 * @throws RepositoryError `index_corrupt` when an index cannot be read, fs errors when `.indexes/` or one of
 *   its directories cannot be listed (nothing is removed then: their chunks might be swept otherwise).
 * @example await collectGarbage(repo, { cutoff: new Date(Date.now() - 5 * 60_000) })
 */
export async function collectGarbage(
  repo: Repository,
  options: { cutoff: Date; onProgress?: (progress: GcProgress) => void; signal?: AbortSignal },
): Promise<GcResult> {
  const { signal, onProgress = () => {} } = options;
  const cutoffMs = Math.min(options.cutoff.getTime(), Date.now() - 1000);
  const marked = new Set<string>();
  const indexPaths = await listIndexes(repo.dir);
  let done = 0;
  let missing = 0;
  onProgress({ phase: 'mark', done, total: indexPaths.length });
  for (const indexPath of indexPaths) {
    signal?.throwIfAborted();
    const index = await readIfPresent(repo, indexPath);
    const fresh = new Set<string>();
    for (const file of index?.files ?? []) {
      for (const digest of file.chunks) if (digest && !marked.has(digest)) fresh.add(digest);
    }
    await eachLimited(
      fresh,
      MARK_CONCURRENCY,
      async (digest) => {
        marked.add(digest);
        if (!(await touchChunk(repo.dir, digest))) missing += 1;
      },
      signal,
    );
    onProgress({ phase: 'mark', done: ++done, total: indexPaths.length });
  }

  const result: GcResult = {
    chunksRemoved: 0,
    bytesRemoved: 0,
    chunksKept: 0,
    indexes: indexPaths.length,
    chunksMissing: missing,
    tmpFilesRemoved: 0,
  };
  let swept = 0;
  for await (const chunk of listChunks(repo.dir)) {
    signal?.throwIfAborted();
    if (chunk.mtimeMs < cutoffMs && (await sweepChunk(repo.dir, chunk, cutoffMs))) {
      result.chunksRemoved += 1;
      result.bytesRemoved += chunk.size;
    } else {
      result.chunksKept += 1;
    }
    if (++swept % 256 === 0) onProgress({ phase: 'sweep', done: swept });
  }
  result.tmpFilesRemoved = await sweepTmp(repo.dir, cutoffMs);
  onProgress({ phase: 'sweep', done: swept });
  return result;
}

/** The index, or null when it was removed since it was listed (pruned meanwhile: its chunks may go). */
async function readIfPresent(repo: Repository, indexPath: string) {
  try {
    return await readIndex(repo, indexPath);
  } catch (err) {
    if (isFsError(err, 'ENOENT') || isFsError((err as { cause?: unknown } | null)?.cause, 'ENOENT'))
      return null;
    throw err;
  }
}

/**
 * Removes a chunk listed as older than the cutoff, unless a backup touched it since it was listed. The chunk
 * is first renamed into `.tmp/` (a backup's touch then fails and it writes the chunk anew), then its mtime
 * read again: a touch that landed before the rename shows there, and the chunk is put back.
 * @returns whether the chunk was removed.
 */
async function sweepChunk(dir: string, chunk: ChunkEntry, cutoffMs: number): Promise<boolean> {
  const trash = path.join(dir, TMP_DIR, `${chunk.digest}.${randomBytes(6).toString('hex')}.gc`);
  try {
    await rename(chunk.path, trash);
  } catch (err) {
    if (isFsError(err, 'ENOENT')) return false;
    throw err;
  }
  if ((await stat(trash)).mtimeMs >= cutoffMs) {
    // Same digest, same content: replacing a copy a backup wrote meanwhile is harmless.
    await rename(trash, chunk.path);
    return false;
  }
  await unlink(trash);
  return true;
}

async function removeIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (err) {
    if (isFsError(err, 'ENOENT')) return false;
    throw err;
  }
}

/** Removes `P/.tmp/*` files last modified before the cutoff (a writer still writing keeps its file fresh). */
async function sweepTmp(dir: string, cutoffMs: number): Promise<number> {
  const tmp = path.join(dir, TMP_DIR);
  let names: string[];
  try {
    names = await readdir(tmp);
  } catch (err) {
    if (isFsError(err, 'ENOENT')) return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(tmp, name);
    try {
      const info = await stat(file);
      if (info.isFile() && info.mtimeMs < cutoffMs && (await removeIfPresent(file))) removed += 1;
    } catch (err) {
      if (!isFsError(err, 'ENOENT')) throw err;
    }
  }
  return removed;
}
