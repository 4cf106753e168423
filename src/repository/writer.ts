/**
 * @module repository/writer: one restore point being written. Each file is re-sliced into chunk_size pieces
 * (SharedArrayBuffer slots, recycled: no copy, no garbage) that the chunk workers store (zero check,
 * digest, dedup by touch, zstd, AES-256-GCM, fsync) while the hash thread computes the whole-file digest
 * in order; at most MAX_IN_FLIGHT pieces are in flight (memory bound: about (MAX_IN_FLIGHT + 1) x
 * chunk_size per file being added). Nothing is a restore point before `commit` renames the index
 * into `.indexes/` (after every chunk it names is durable): a killed backup leaves orphan chunks only.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { appVersion } from '../version.js';
import type { Repository } from './config.js';
import { putFile } from './files.js';
import { compactTimestamp, type Index, type IndexFile, type IndexMeta, vmIndexDir } from './format.js';
import { fileDigest, MAX_IN_FLIGHT, storeChunk } from './pool.js';

export type { Index, IndexFile, IndexMeta } from './format.js';

/** What `commit` needs beyond the files: the VM, its host and snapshot (as the legacy manifest). */
export interface CommitMeta extends IndexMeta {
  /** Default: now. */
  finished_at?: Date | string;
  /** Default: the app's version (package.json). */
  app_version?: string;
}

/** What `commit` wrote. */
export interface CommitResult {
  /** Absolute path of the index file. */
  indexPath: string;
  /** Hex SHA-256 of the index file's bytes. */
  indexSha256: string;
  /** Sum of the files' sizes (bytes). */
  logicalBytes: number;
  /** Blob bytes newly written for this restore point. */
  bytesWritten: number;
}

export interface RestorePointWriter {
  /** Where the index will be: `P/.indexes/<vm segment>/<stamp>-job<id>.json` (absolute). */
  readonly indexPath: string;
  /**
   * Stores one file read from `source` (each Buffer is copied, never kept or detached).
   * @param onBytes called with the bytes read so far from `source` (cumulative, this file).
   * @returns the file's index entry once every chunk is durable.
   * @throws the signal's reason when aborted (in-flight chunks are awaited first); fs errors (ENOSPC...);
   *   the source's errors.
   */
  addFile(
    name: string,
    source: AsyncIterable<Uint8Array>,
    onBytes?: (bytes: number) => void,
    signal?: AbortSignal,
  ): Promise<IndexFile>;
  /**
   * Writes the index atomically (tmp, fsync, exclusive link, directory fsync): the restore point exists.
   * @throws Error when a file is still being added or after a successful commit; fs errors (EEXIST when an
   *   index of the same name exists, ENOSPC...), after which commit may be tried again.
   */
  commit(meta: CommitMeta): Promise<CommitResult>;
  /** Blob bytes newly written so far (every file added). */
  bytesWritten(): number;
}

/**
 * A writer for restore point `<stamp>-job<jobId>` of VM `vmName` in `repo`.
 * @param opts.startedAt the backup's start (names the index, `started_at`).
 */
export function createRestorePointWriter(
  repo: Repository,
  opts: { vmName: string; jobId: number; startedAt: Date },
): RestorePointWriter {
  const chunkSize = repo.config.chunk_size;
  const indexPath = path.join(
    vmIndexDir(repo.dir, opts.vmName),
    `${compactTimestamp(opts.startedAt)}-job${opts.jobId}.json`,
  );
  const files: Array<IndexFile | null> = [];
  const free: SharedArrayBuffer[] = [];
  let written = 0;
  let running = 0;
  let committed = false;
  const take = () => free.pop() ?? new SharedArrayBuffer(chunkSize);

  async function addFile(
    name: string,
    source: AsyncIterable<Uint8Array>,
    onBytes: (bytes: number) => void = () => {},
    signal?: AbortSignal,
  ): Promise<IndexFile> {
    if (committed) throw new Error('restore point already committed');
    const position = files.push(null) - 1;
    running++;
    const digest = fileDigest(repo.keys);
    const chunks: Array<string | null> = [];
    const queue: Array<Promise<void>> = [];
    let piece = take();
    let view = new Uint8Array(piece);
    let fill = 0;
    let size = 0;
    const submit = async () => {
      const at = chunks.push(null) - 1;
      const buffer = piece;
      const stored = storeChunk({ dir: repo.dir, plain: buffer, length: fill, keys: repo.keys }).then((r) => {
        chunks[at] = r.digest;
        written += r.written;
      });
      const done = Promise.all([stored, digest.update(buffer, 0, fill)]).then(() => {
        free.push(buffer);
      });
      done.catch(() => {});
      queue.push(done);
      piece = take();
      view = new Uint8Array(piece);
      fill = 0;
      if (queue.length >= MAX_IN_FLIGHT) await queue.shift();
    };
    let sha256: string;
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
      await Promise.all(queue);
      sha256 = await digest.end();
    } catch (err) {
      await Promise.allSettled(queue);
      await digest.drop().catch(() => {});
      throw err;
    } finally {
      running--;
      free.push(piece);
    }
    const file: IndexFile = { name, size, sha256, chunks };
    files[position] = file;
    return file;
  }

  async function commit(meta: CommitMeta): Promise<CommitResult> {
    if (committed || running > 0) throw new Error('commit while files are being added, or twice');
    committed = true;
    const done = files.filter((f): f is IndexFile => f !== null);
    const logical = done.reduce((sum, f) => sum + f.size, 0);
    const finished = meta.finished_at ?? new Date();
    const index: Index = {
      format: 'ebm-index',
      version: 1,
      repository: repo.config.id,
      chunk_size: chunkSize,
      encrypted: repo.encrypted,
      app_version: meta.app_version ?? appVersion(),
      job_id: opts.jobId,
      vm: meta.vm,
      source_host: meta.source_host,
      snapshot: meta.snapshot,
      started_at: opts.startedAt.toISOString(),
      finished_at: typeof finished === 'string' ? finished : finished.toISOString(),
      files: done,
      logical_bytes: logical,
      bytes_written: written,
    };
    const text = Buffer.from(`${JSON.stringify(index, null, 2)}\n`);
    await putFile(repo.dir, indexPath, [text], { exclusive: true }).catch((err) => {
      committed = false;
      throw err;
    });
    const indexSha256 = createHash('sha256').update(text).digest('hex');
    return { indexPath, indexSha256, logicalBytes: logical, bytesWritten: written };
  }

  return { indexPath, addFile, commit, bytesWritten: () => written };
}
