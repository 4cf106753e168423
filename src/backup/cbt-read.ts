/**
 * @module backup/cbt-read: reads one disk's extent as its plan says (backup/cbt-plan.ts). It asks the host for
 * the areas changed since the previous restore point's change id (or in use: change id `*`) at the backup's
 * snapshot, rounds them out to whole chunks, reads those chunks by HTTP range from the snapshot's frozen
 * extent, and takes every other chunk from the previous restore point (touched first, so that garbage
 * collection keeps it; one found missing is read instead) or, for a first read, as zeros. A change id the
 * host refuses, or a host that ignores ranges, makes it read the whole file instead, with the reason.
 */
import { msg } from '../i18n/message.js';
import { touchChunk } from '../repository/chunk-store.js';
import type { Repository } from '../repository/config.js';
import { chunkCount } from '../repository/format.js';
import { eachLimited } from '../repository/parallel.js';
import type { IndexFile, Piece } from '../repository/writer.js';
import {
  type MoRef,
  openDatastoreRead,
  queryChangedDiskAreas,
  type VSphereClient,
  VSphereError,
} from '../vsphere/index.js';
import type { DiskPlan, FallbackReason, ReadKind } from './cbt-plan.js';
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
  const wanted = new Set<number>();
  for (const a of areas) {
    for (let i = Math.floor(a.start / chunkSize); i * chunkSize < a.start + a.length; i++) wanted.add(i);
  }
  const reuse = plan.previous?.file.chunks ?? [];
  const kept = reuse.flatMap((digest, i) => (digest && !wanted.has(i) ? [i] : []));
  await eachLimited(
    kept,
    TOUCHES,
    async (i) => {
      if (!(await touchChunk(ctx.repo.dir, reuse[i] as string))) wanted.add(i);
    },
    ctx.signal,
  );
  const count = chunkCount(size, chunkSize);
  ctx.onExpected([...wanted].reduce((sum, i) => sum + Math.min(chunkSize, size - i * chunkSize), 0));
  let bytesRead = 0;
  async function* pieces(): AsyncGenerator<Piece> {
    for (let i = 0; i < count; ) {
      if (!wanted.has(i)) {
        yield { digest: reuse[i] ?? null };
        i++;
        continue;
      }
      let end = i + 1;
      while (end < count && end - i < RUN_CHUNKS && wanted.has(end)) end++;
      for await (const data of readRun(i * chunkSize, Math.min(end * chunkSize, size))) {
        bytesRead += data.length;
        yield { data };
      }
      i = end;
    }
  }
  /** The chunks of bytes [start, stop) of the extent, one Buffer per chunk. */
  async function* readRun(start: number, stop: number): AsyncGenerator<Buffer> {
    const where = { datacenter: ctx.datacenter, datastore: file.datastore, path: file.path };
    const { stream } = await openDatastoreRead(ctx.client, { ...where, range: { start, end: stop - 1 } });
    let parts: Buffer[] = [];
    let held = 0;
    let at = start;
    try {
      for await (const part of stream as AsyncIterable<Buffer>) {
        ctx.signal.throwIfAborted();
        ctx.onBytes(part.length);
        for (let off = 0; off < part.length; ) {
          const n = Math.min(chunkSize - held, part.length - off, stop - at - held);
          if (n <= 0) throw shortOrLong(`${part.length - off} bytes past ${stop - 1}`);
          parts.push(part.subarray(off, off + n));
          held += n;
          off += n;
          if (held === Math.min(chunkSize, stop - at)) {
            yield Buffer.concat(parts, held);
            at += held;
            parts = [];
            held = 0;
          }
        }
      }
    } finally {
      stream.destroy();
    }
    if (at !== stop) throw shortOrLong(`ended at ${at} of ${start}-${stop - 1}`);
  }
  const shortOrLong = (reason: string) =>
    new VSphereError('Fault', msg('vsphere.http.failed_read', { file: file.name, reason }));
  try {
    const entry = await ctx.writer.addPieces(file.fileName, size, pieces(), ctx.signal);
    const changedBytes = areas.reduce((sum, a) => sum + a.length, 0);
    return { entry, read: plan.read, reason: plan.reason, changedBytes, bytesRead };
  } catch (err) {
    if (rangeIgnored(err)) return fallback('no_range_support');
    throw err;
  }
}
