/**
 * @module repository/verify: PBS's verify for a repository. Every chunk that the given indexes name is read
 * once (however many restore points share it), decoded and its digest recomputed in the chunk pool's
 * workers (`loadChunk`, at most 2 x cores chunks in flight: bounded memory). A restore point is `corrupt`
 * when one of its chunks is missing, unreadable or of the wrong length, or when its index cannot be read,
 * and the files hit are named. Zero chunks (`null`) need no reading.
 */
import path from 'node:path';
import type { Repository } from './config.js';
import { isRepositoryError } from './errors.js';
import { chunkCount, pieceLength } from './format.js';
import { eachLimited, isFsError } from './parallel.js';
import { loadChunk, MAX_IN_FLIGHT } from './pool.js';
import { readIndex } from './reader.js';

/** The verdict on one restore point. */
export interface VerifyResult {
  indexPath: string;
  state: 'ok' | 'corrupt';
  /** Names of the files hit (as in the index); the index file's own name when it cannot be read. */
  corruptFiles: string[];
}

/** Distinct chunks checked so far, of how many, and their plaintext bytes. */
export interface VerifyProgress {
  done: number;
  total: number;
  bytes: number;
}

/** One place a chunk is used: which restore point, which file, and the plaintext length expected there. */
interface Use {
  point: number;
  file: string;
  length: number;
}

/**
 * Verifies restore points of a repository.
 * @param indexPaths absolute paths of the indexes to verify (e.g. the restore points of the database, or
 *   every index of `listIndexes`).
 * @param onProgress called after each distinct chunk.
 * @param signal aborts between chunks (rejects with its reason).
 * @returns one result per index path, in the order given.
 * @throws only on abort or an unexpected error: missing and corrupt data are results, not errors.
 */
export async function verifyRepository(
  repo: Repository,
  indexPaths: string[],
  onProgress: (progress: VerifyProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<VerifyResult[]> {
  const hit = indexPaths.map(() => new Set<string>());
  const uses = new Map<string, Use[]>();
  for (const [point, indexPath] of indexPaths.entries()) {
    signal?.throwIfAborted();
    let index: Awaited<ReturnType<typeof readIndex>>;
    try {
      index = await readIndex(repo, indexPath);
    } catch (err) {
      if (!isDataError(err)) throw err;
      hit[point]?.add(path.basename(indexPath));
      continue;
    }
    const chunkSize = index.chunk_size || repo.config.chunk_size;
    for (const file of index.files) {
      if (file.chunks.length !== chunkCount(file.size, chunkSize)) hit[point]?.add(file.name);
      for (const [i, digest] of file.chunks.entries()) {
        if (!digest) continue;
        const length = pieceLength(i, file.size, chunkSize);
        const list = uses.get(digest) ?? [];
        if (!list.length) uses.set(digest, list);
        list.push({ point, file: file.name, length });
      }
    }
  }

  const progress: VerifyProgress = { done: 0, total: uses.size, bytes: 0 };
  onProgress({ ...progress });
  await eachLimited(
    uses,
    MAX_IN_FLIGHT,
    async ([digest, list]) => {
      let length = -1;
      try {
        length = (await loadChunk(repo, digest)).length;
        progress.bytes += length;
      } catch (err) {
        if (!isDataError(err)) throw err;
      }
      for (const use of list) if (use.length !== length) hit[use.point]?.add(use.file);
      progress.done += 1;
      onProgress({ ...progress });
    },
    signal,
  );

  return indexPaths.map((indexPath, point) => {
    const corruptFiles = [...(hit[point] ?? [])];
    return { indexPath, state: corruptFiles.length ? 'corrupt' : 'ok', corruptFiles };
  });
}

/** A failure that says the data is bad or gone (a verdict), not that verifying itself went wrong. */
function isDataError(err: unknown): boolean {
  return (
    isRepositoryError(err, 'chunk_corrupt', 'index_corrupt', 'file_corrupt') ||
    isFsError(err, 'ENOENT', 'EIO', 'EISDIR', 'ENOTDIR')
  );
}
