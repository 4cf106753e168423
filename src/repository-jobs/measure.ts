/**
 * @module repository-jobs/measure: counts a repository's chunk files and their bytes (one walk of `.chunks`),
 * run by the verify and GC jobs, which read the whole repository anyway; the storage path row keeps the result
 * so that the API and the page never walk millions of files per request.
 */
import { listChunks } from '../repository/chunk-store.js';

/** Chunk files and their total size in bytes, as found now. */
export async function measureChunks(
  dir: string,
  signal?: AbortSignal,
): Promise<{ chunk_count: number; chunk_bytes: number; at: Date }> {
  const at = new Date();
  let count = 0;
  let bytes = 0;
  for await (const chunk of listChunks(dir)) {
    if (++count % 4096 === 0) signal?.throwIfAborted();
    bytes += chunk.size;
  }
  return { chunk_count: count, chunk_bytes: bytes, at };
}
