/**
 * @module backup/cbt-read: reads one disk's extent as its plan says (backup/cbt-plan.ts). It asks the host for
 * the areas changed since the previous restore point's change id (or in use: change id `*`) at the backup's
 * snapshot; each chunk they touch is rebuilt from the snapshot's frozen extent, read by HTTP range
 * (backup/cbt-ranges.ts: the chunk whole, or its changed areas over its earlier copy), and every other chunk
 * is taken from the previous restore point (touched first, so that garbage collection keeps it; one found
 * missing is read instead) or, for a first read, as zeros. A change id the host refuses, or a host that
 * ignores ranges, makes it read the whole file instead, with the reason.
 */
import { touchChunk } from '../repository/chunk-store.js';
import type { Repository } from '../repository/config.js';
import { chunkCount, pieceLength } from '../repository/format.js';
import { eachLimited } from '../repository/parallel.js';
import { loadChunk } from '../repository/pool.js';
import type { IndexFile, Piece } from '../repository/writer.js';
import {
  type MoRef,
  openDatastoreRead,
  queryChangedDiskAreas,
  type VSphereClient,
  VSphereError,
} from '../vsphere/index.js';
import type { DiskPlan, FallbackReason, ReadKind } from './cbt-plan.js';
import { fetchRun, fetchSpans, planFetches, type RangeSource } from './cbt-ranges.js';
import type { SourceFile } from './file-selection.js';

/** Most chunks one range request asks for (bytes in flight stay bounded by the writer's pipeline). */
const RUN_CHUNKS = 16;
/** Chunk touches at once. */
const TOUCHES = 16;

/** What reading a disk's extent did. */
export interface DiskRead {
  entry: IndexFile;
  read: ReadKind;
  reason: FallbackReason | null;
  /** Bytes CBT reported (changed or in use), null when it was not asked or refused. */
  changedBytes: number | null;
  bytesRead: number;
}

/** What a CBT read needs. */
export interface CbtReadContext {
  client: VSphereClient;
  datacenter: string;
  repo: Repository;
  writer: {
    addPieces(
      name: string,
      size: number,
      pieces: AsyncIterable<Piece>,
      signal?: AbortSignal,
    ): Promise<IndexFile>;
  };
  vm: MoRef;
  snapshot: MoRef;
  signal: AbortSignal;
  /** Counts bytes read from the datastore (each call: bytes since the last one). */
  onBytes(n: number): void;
  /** The bytes this file will read, once known. */
  onExpected(n: number): void;
}

/** A fault of QueryChangedDiskAreas that means "no answer for this disk" (not an outage). */
const refused = (err: unknown) =>
  err instanceof VSphereError && (err.faultType === 'InvalidArgument' || err.faultType === 'FileFault');
/** The host answered a range request with the whole file. */
const rangeIgnored = (err: unknown) => err instanceof VSphereError && err.httpStatus === 200;

/**
 * Reads `file` (the extent of `plan.disk`) by CBT; `full(reason)` reads it whole when CBT cannot be used.
 * @throws VSphereError (outage, the snapshot gone), RepositoryError / fs errors, the signal's reason.
 */
export async function readDiskByCbt(
  ctx: CbtReadContext,
  file: SourceFile,
  plan: DiskPlan,
  full: () => Promise<{ entry: IndexFile; bytesRead: number }>,
): Promise<DiskRead> {
  const fallback = async (reason: FallbackReason): Promise<DiskRead> => ({
    ...(await full()),
    read: 'full',
    reason,
    changedBytes: null,
  });
  const chunkSize = ctx.repo.config.chunk_size;
  const size = file.expectedBytes;
  let areas: Array<{ start: number; length: number }>;
  try {
    areas = await queryChangedDiskAreas(ctx.client, {
      vm: ctx.vm,
      snapshot: ctx.snapshot,
      deviceKey: plan.disk.key,
      changeId: plan.previous?.changeId ?? '*',
      capacityBytes: plan.disk.capacityBytes,
      signal: ctx.signal,
    });
  } catch (err) {
    if (refused(err)) return fallback('change_id_refused');
    throw err;
  }
  const fetches = planFetches(areas, size, chunkSize);
  const reuse = plan.previous?.file.chunks ?? [];
  const kept = reuse.flatMap((digest, i) => (digest && !fetches.has(i) ? [i] : []));
  await eachLimited(
    kept,
    TOUCHES,
    async (i) => {
      if (!(await touchChunk(ctx.repo.dir, reuse[i] as string))) fetches.set(i, { whole: true });
    },
    ctx.signal,
  );
  const count = chunkCount(size, chunkSize);
  const length = (i: number) => pieceLength(i, size, chunkSize);
  let expected = 0;
  for (const [i, f] of fetches) expected += f.whole ? length(i) : f.spans.reduce((n, [a, b]) => n + b - a, 0);
  ctx.onExpected(expected);
  let bytesRead = 0;
  const where = { datacenter: ctx.datacenter, datastore: file.datastore, path: file.path };
  const source: RangeSource = {
    open: async (start, end) =>
      (await openDatastoreRead(ctx.client, { ...where, range: { start, end } })).stream,
    onBytes: (n) => {
      bytesRead += n;
      ctx.onBytes(n);
    },
    signal: ctx.signal,
    name: file.name,
  };
  /** Chunk i as the previous restore point holds it (zeros when it was zeros or for a first read), or null. */
  const baseOf = async (i: number): Promise<Buffer | null> => {
    const digest = reuse[i];
    if (!digest) return Buffer.alloc(length(i));
    return loadChunk(ctx.repo, digest, file.name).catch(() => null); // damaged: fetch it whole instead
  };
  async function* pieces(): AsyncGenerator<Piece> {
    for (let i = 0; i < count; ) {
      const fetch = fetches.get(i);
      if (!fetch) {
        yield { digest: reuse[i] ?? null };
        i++;
        continue;
      }
      const base = fetch.whole ? null : await baseOf(i);
      if (base && !fetch.whole) {
        yield { data: await fetchSpans(source, base, i * chunkSize, fetch.spans) };
        i++;
        continue;
      }
      let end = i + 1;
      while (end < count && end - i < RUN_CHUNKS && fetches.get(end)?.whole) end++;
      for await (const data of fetchRun(source, i * chunkSize, Math.min(end * chunkSize, size), chunkSize))
        yield { data };
      i = end;
    }
  }
  try {
    const entry = await ctx.writer.addPieces(file.fileName, size, pieces(), ctx.signal);
    const changedBytes = areas.reduce((sum, a) => sum + a.length, 0);
    return { entry, read: plan.read, reason: plan.reason, changedBytes, bytesRead };
  } catch (err) {
    if (rangeIgnored(err)) return fallback('no_range_support');
    throw err;
  }
}
