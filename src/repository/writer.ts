/**
 * @module repository/writer: one restore point being written. Its files are stored chunk by chunk by
 * repository/file-writer (read in full, or built incrementally from an earlier restore point), with
 * chunk_size slots from the process's slot pool (repository/pool.ts). Nothing is a restore point before `commit` renames the index into `.indexes/`
 * (after every chunk it names is durable): a killed backup leaves orphan chunks only.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { appVersion } from '../version.js';
import type { Repository } from './config.js';
import {
  type FileWriterContext,
  type FilledSlot,
  type Piece,
  writePieces,
  writeSlots,
  writeStream,
} from './file-writer.js';
import { putFile } from './files.js';
import { compactTimestamp, type Index, type IndexFile, type IndexMeta, vmIndexDir } from './format.js';
import { giveSlot, takeSlot } from './pool.js';

export type { FilledSlot, Piece } from './file-writer.js';
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
  /** The repository's chunk size: the size of the slots `addSlots` takes. */
  readonly chunkSize: number;
  /** The key of whole-file digests (id_key, HMAC-SHA256) in an encrypted repository, else null (SHA-256). */
  readonly digestKey: Uint8Array | null;
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
   * Stores one file read into slots of the slot pool (repository/pool.ts `takeSlot`) by its reader; each
   * slot is given back to the pool once stored.
   * @param sha256 the whole-file digest the reader made (keyed with `digestKey`), asked once the source
   *   ended; without it the writer's hash thread computes it.
   * @throws Error when a slot other than the last is not full; as addFile otherwise.
   */
  addSlots(
    name: string,
    source: AsyncIterable<FilledSlot>,
    signal?: AbortSignal,
    sha256?: () => string,
  ): Promise<IndexFile>;
  /**
   * Stores one file of `size` bytes built incrementally: each piece is read bytes or the digest of a chunk
   * the repository holds (the caller has touched it); the entry gets `chunks_sha256`, not `sha256`.
   * @throws Error on a piece of the wrong length or count; as addFile otherwise.
   */
  addPieces(
    name: string,
    size: number,
    pieces: AsyncIterable<Piece>,
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
  let written = 0;
  let running = 0;
  let committed = false;
  const ctx: FileWriterContext = {
    repo,
    take: () => takeSlot(chunkSize),
    give: giveSlot,
    wrote: (bytes) => {
      written += bytes;
    },
  };

  /** Runs one file's writer, keeping the file's place in the index (the order files were started). */
  async function add(write: () => Promise<IndexFile>): Promise<IndexFile> {
    if (committed) throw new Error('restore point already committed');
    const position = files.push(null) - 1;
    running++;
    try {
      const file = await write();
      files[position] = file;
      return file;
    } finally {
      running--;
    }
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

  return {
    chunkSize,
    digestKey: repo.keys?.id ?? null,
    indexPath,
    addFile: (name, source, onBytes = () => {}, signal) =>
      add(() => writeStream(ctx, name, source, onBytes, signal)),
    addSlots: (name, source, signal, sha256) => add(() => writeSlots(ctx, name, source, signal, sha256)),
    addPieces: (name, size, pieces, signal) => add(() => writePieces(ctx, name, size, pieces, signal)),
    commit,
    bytesWritten: () => written,
  };
}
