/**
 * @module repository/reader: restore points read back. `readIndex` parses and checks an index,
 * `listIndexes` finds them, `readFileSlots` and `readFileChunks` stream a file's plaintext (in chunk slots,
 * or as Buffers): chunks decoded and verified in the chunk workers with read-ahead (MAX_IN_FLIGHT), zeros
 * for null chunks, and the whole-file digest (computed in the hash thread) checked once the last chunk is
 * out.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chunkListDigest } from './blob.js';
import type { Repository } from './config.js';
import { isRepositoryError, RepositoryError } from './errors.js';
import type { FilledSlot } from './file-writer.js';
import { chunkCount, DIGEST_RE, INDEXES_DIR, type Index, type IndexFile, pieceLength } from './format.js';
import { isFsError } from './parallel.js';
import { type FileDigest, fileDigest, giveSlot, loadChunkInto, MAX_IN_FLIGHT, takeSlot } from './pool.js';

export type { Index, IndexFile } from './format.js';

/**
 * Every index of repository `dir`: absolute paths `P/.indexes/<vm segment>/<stamp>-job<id>.json`, sorted by
 * VM directory then name (oldest first). Empty when `.indexes/` is missing; a VM directory removed while
 * listing is skipped.
 * @throws any other fs error (EACCES, EIO...): an unreadable directory must not look empty, or garbage
 *   collection would sweep the chunks of the indexes it hides.
 */
export async function listIndexes(dir: string): Promise<string[]> {
  const root = path.join(dir, INDEXES_DIR);
  const vms = await orNone(readdir(root, { withFileTypes: true }));
  const out: string[] = [];
  for (const vm of vms
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const names = await orNone(readdir(path.join(root, vm)));
    for (const file of names.filter((n) => n.endsWith('.json')).sort()) out.push(path.join(root, vm, file));
  }
  return out;
}

/** A directory listing, with ENOENT as an empty directory. @throws every other fs error. */
async function orNone<T>(listing: Promise<T[]>): Promise<T[]> {
  try {
    return await listing;
  } catch (err) {
    if (isFsError(err, 'ENOENT')) return [];
    throw err;
  }
}

const safeName = (n: unknown) =>
  typeof n === 'string' && n !== '' && n !== '.' && n !== '..' && !/[/\\\0]/.test(n);
const isSize = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** Why an index does not fit `repo`, or null. */
function indexProblem(ix: Partial<Index>, repo: Repository): string | null {
  if (ix.format !== 'ebm-index' || ix.version !== 1) return 'unknown format or version';
  if (ix.repository !== repo.config.id) return 'belongs to another repository';
  if (ix.chunk_size !== repo.config.chunk_size || ix.encrypted !== repo.encrypted)
    return 'chunk size or encryption differs from the repository';
  if (!Array.isArray(ix.files)) return 'no file list';
  const seen = new Set<string>();
  for (const f of ix.files as Partial<IndexFile>[]) {
    if (!f || !safeName(f.name) || seen.has(f.name as string)) return `bad file name ${String(f?.name)}`;
    seen.add(f.name as string);
    const digest = f.sha256 === null ? f.chunks_sha256 : f.sha256;
    if (!isSize(f.size) || !DIGEST_RE.test(digest ?? '') || !Array.isArray(f.chunks))
      return `bad entry ${f.name}`;
    if (f.chunks.length !== chunkCount(f.size as number, ix.chunk_size))
      return `wrong chunk count for ${f.name}`;
    if (!f.chunks.every((c) => c === null || (typeof c === 'string' && DIGEST_RE.test(c))))
      return `bad digest in ${f.name}`;
  }
  return null;
}

/**
 * Reads and checks an index of `repo`.
 * @param indexPath absolute, or relative to `P/.indexes/`.
 * @throws RepositoryError `index_corrupt` { file: indexPath, detail } when missing, not JSON, of another
 *   format or repository, or inconsistent (file names, sizes, chunk counts, digests).
 */
export async function readIndex(repo: Repository, indexPath: string): Promise<Index> {
  const file = path.resolve(repo.dir, INDEXES_DIR, indexPath);
  const corrupt = (detail: string, cause?: unknown) =>
    new RepositoryError('index_corrupt', { file, detail }, detail, { cause });
  let parsed: Partial<Index>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Index>;
  } catch (err) {
    throw corrupt((err as NodeJS.ErrnoException).code ?? 'not JSON', err);
  }
  const problem = parsed && typeof parsed === 'object' ? indexProblem(parsed, repo) : 'not an object';
  if (problem) throw corrupt(problem);
  return parsed as Index;
}

/**
 * The plaintext of one file of a restore point, chunk by chunk, each in a chunk slot of the slot pool
 * (repository/pool.ts), the caller's once yielded: give it back with `giveSlot` when done. Chunks are loaded
 * MAX_IN_FLIGHT ahead in the chunk workers, each checked against its digest; the whole-file digest runs in
 * the hash thread. A file made incrementally has its chunk list checked against `chunks_sha256` first
 * instead (each chunk is checked against its own digest as it is read).
 * @throws RepositoryError `chunk_corrupt` { digest, file: file.name } for a missing or corrupt chunk;
 *   `file_corrupt` { file: file.name } when the whole file's digest (after the last chunk was yielded), its
 *   chunk list's or a chunk's length differs from the index; the signal's reason when aborted.
 */
export async function* readFileSlots(
  repo: Repository,
  file: IndexFile,
  signal?: AbortSignal,
): AsyncGenerator<FilledSlot> {
  if (file.sha256 === null) {
    if (chunkListDigest(file.chunks, repo.keys) !== file.chunks_sha256)
      throw new RepositoryError('file_corrupt', { file: file.name }, 'chunk list digest mismatch');
    yield* readSlots(repo, file, null, signal);
    return;
  }
  yield* readSlots(repo, file, fileDigest(repo.keys), signal);
}

/**
 * As readFileSlots, each chunk copied into a Buffer that is the caller's to keep.
 * @throws as readFileSlots.
 */
export async function* readFileChunks(
  repo: Repository,
  file: IndexFile,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  for await (const { slot, length } of readFileSlots(repo, file, signal)) {
    const plain = Buffer.from(new Uint8Array(slot, 0, length));
    giveSlot(slot);
    yield plain;
  }
}

/** The chunks of `file` in order, fed to `digest` when given (then checked against `file.sha256`). */
async function* readSlots(
  repo: Repository,
  file: IndexFile,
  digest: FileDigest | null,
  signal?: AbortSignal,
): AsyncGenerator<FilledSlot> {
  const chunkSize = repo.config.chunk_size;
  const ahead: Array<{ slot: SharedArrayBuffer; length: Promise<number> }> = [];
  let next = 0;
  const fetchNext = () => {
    const i = next++;
    const chunk = file.chunks[i];
    const slot = takeSlot(chunkSize);
    const zeros = pieceLength(i, file.size, chunkSize);
    const length = chunk
      ? loadChunkInto(repo, chunk, file.name, slot)
      : Promise.resolve(new Uint8Array(slot, 0, zeros).fill(0).length);
    length.catch(() => {});
    ahead.push({ slot, length });
  };
  let ok = false;
  let ended = false;
  try {
    for (let i = 0; i < file.chunks.length; i++) {
      while (next < file.chunks.length && ahead.length < MAX_IN_FLIGHT) fetchNext();
      signal?.throwIfAborted();
      const { slot, length: pending } = ahead[0] as (typeof ahead)[number];
      const length = await pending;
      if (length !== pieceLength(i, file.size, chunkSize))
        throw new RepositoryError('file_corrupt', { file: file.name }, `chunk ${i} has ${length} bytes`);
      await digest?.update(slot, 0, length);
      ahead.shift();
      yield { slot, length };
    }
    ended = true;
    ok = digest ? (await digest.end()) === file.sha256 : true;
  } catch (err) {
    if (isRepositoryError(err) || signal?.aborted) throw err;
    throw new RepositoryError('chunk_corrupt', { digest: '?', file: file.name }, String(err), { cause: err });
  } finally {
    await Promise.allSettled(ahead.map((a) => a.length));
    for (const { slot } of ahead) giveSlot(slot);
    if (!ended) await digest?.drop().catch(() => {});
  }
  if (!ok) throw new RepositoryError('file_corrupt', { file: file.name }, 'whole-file digest mismatch');
}
