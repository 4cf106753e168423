/**
 * @module backup/read-into-repository: reads each selected VM file once from datastore HTTP (session
 * cookie, pinned certificate, one re-login on 401; in a worker thread straight into chunk slots, see
 * backup/read-pool.ts) into a restore point writer,
 * which cuts, hashes, compresses and stores the chunks in worker threads: whole, or, for a disk extent whose
 * plan says so, only the chunks changed block tracking names (backup/cbt-read.ts). Reports bytes read over
 * the expected total.
 */
import type { Readable } from 'node:stream';
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import type { Repository } from '../repository/config.js';
import type { IndexFile } from '../repository/format.js';
import type { FilledSlot, RestorePointWriter } from '../repository/writer.js';
import {
  type DatastoreFile,
  datastoreFileUrl,
  datastorePath,
  type MoRef,
  openDatastoreRead,
  type VSphereClient,
  VSphereError,
} from '../vsphere/index.js';
import type { DiskPlan } from './cbt-plan.js';
import { type DiskRead, readDiskByCbt } from './cbt-read.js';
import type { SourceFile } from './file-selection.js';
import { readIntoSlots, UnsupportedAnswer } from './read-pool.js';

/** What this needs of a restore point writer (repository/writer.ts `createRestorePointWriter`). */
export type FileSink = Pick<
  RestorePointWriter,
  'addFile' | 'addSlots' | 'addPieces' | 'chunkSize' | 'digestKey'
>;

/** The disks to read by changed block tracking: their plans, the repository, the VM and its snapshot. */
export interface CbtReads {
  plans: DiskPlan[];
  repo: Repository;
  vm: MoRef;
  snapshot: MoRef;
}

/** Maps bytes read to the job's percent: reading spans `from`..`to` of the whole backup. */
export interface ReadProgress {
  from: number;
  to: number;
  report(update: ProgressUpdate): void;
}

/** Most progress reports per second (each one is a database write of the job row, throttled there too). */
const REPORT_EVERY_MS = 200;

/** Yields the body's pieces, counting them; destroys the body when `signal` aborts. */
async function* counted(body: Readable, signal: AbortSignal, onBytes: (n: number) => void) {
  const abort = () => body.destroy(signal.reason as Error);
  signal.addEventListener('abort', abort, { once: true });
  try {
    for await (const piece of body as AsyncIterable<Buffer>) {
      onBytes(piece.length);
      yield piece;
    }
    signal.throwIfAborted();
  } finally {
    signal.removeEventListener('abort', abort);
    body.destroy();
  }
}

/**
 * Reads one whole file into `writer`: in a worker thread into chunk slots (backup/read-pool.ts), logging in
 * again once on a refused session; through node:https on the main thread when the answer is of a kind the
 * worker's socket reader does not handle.
 */
async function readWhole(
  client: VSphereClient,
  file: DatastoreFile & { fileName: string },
  writer: FileSink,
  signal: AbortSignal,
  onBytes: (n: number) => void,
): Promise<IndexFile> {
  const name = datastorePath(file.datastore, file.path);
  for (let attempt = 0; ; attempt++) {
    const { sessionCookie: cookie, thumbprint } = client;
    const read = {
      url: datastoreFileUrl(client, file),
      cookie,
      thumbprint,
      slotBytes: writer.chunkSize,
      digestKey: writer.digestKey,
      file: name,
      signal,
    };
    const reading = readIntoSlots(read);
    try {
      return await writer.addSlots(file.fileName, counting(reading.slots, onBytes), signal, reading.sha256);
    } catch (err) {
      if (err instanceof UnsupportedAnswer) break;
      if (attempt > 0 || !(err instanceof VSphereError) || err.code !== 'NotAuthenticated') throw err;
      await client.reauthenticate();
    }
  }
  const { stream } = await openDatastoreRead(client, file);
  return writer.addFile(file.fileName, counted(stream, signal, onBytes), undefined, signal);
}

/** Yields the slots, counting their bytes. */
async function* counting(slots: AsyncIterable<FilledSlot>, onBytes: (n: number) => void) {
  for await (const slot of slots) {
    onBytes(slot.length);
    yield slot;
  }
}

/**
 * Reads every file into `writer` under its `fileName`; a disk extent planned `incremental` or `allocated`
 * by changed block tracking.
 * @param datacenter datacenter name for datastore HTTP (`dcPath`).
 * @returns the index entries, in order, the bytes read from the datastore, and how each planned disk was
 *   read (by device key).
 * @throws VSphereError on HTTP failures (naming the file); RepositoryError or fs errors from the writer;
 *   the signal's reason when cancelled (chunks already stored stay for garbage collection).
 */
export async function readIntoRepository(
  client: VSphereClient,
  datacenter: string,
  files: SourceFile[],
  writer: FileSink,
  signal: AbortSignal,
  progress: ReadProgress,
  cbt?: CbtReads,
): Promise<{ files: IndexFile[]; bytesRead: number; disks: Map<number, DiskRead> }> {
  let before = 0;
  const out: IndexFile[] = [];
  const disks = new Map<number, DiskRead>();
  for (const [i, file] of files.entries()) {
    signal.throwIfAborted();
    const step = msg('step.copying', { file: file.fileName });
    const after = files.slice(i + 1).reduce((sum, f) => sum + f.expectedBytes, 0);
    let expected = file.expectedBytes;
    let read = 0;
    let last = 0;
    const report = (force: boolean) => {
      const now = Date.now();
      if (!force && now - last < REPORT_EVERY_MS) return;
      last = now;
      const done = before + read;
      const total = before + Math.max(read, expected) + after;
      const percent = progress.from + ((progress.to - progress.from) * done) / Math.max(total, 1);
      progress.report({ step, bytes_done: done, bytes_total: total, progress: Math.floor(percent) });
    };
    const onBytes = (n: number) => {
      read += n;
      report(false);
    };
    const whole = async () => {
      const start = read;
      const entry = await readWhole(client, { datacenter, ...file }, writer, signal, onBytes);
      return { entry, bytesRead: read - start };
    };
    report(true);
    const plan = cbt?.plans.find((p) => p.extent?.name === file.name && p.read !== 'full');
    if (cbt && plan) {
      const context = { client, datacenter, writer, signal, ...cbt, onBytes };
      const onExpected = (n: number) => {
        expected = n;
      };
      const result = await readDiskByCbt({ ...context, onExpected }, file, plan, whole);
      disks.set(plan.disk.key, result);
      out.push(result.entry);
    } else out.push((await whole()).entry);
    before += read;
    report(true);
  }
  progress.report({ bytes_done: before, bytes_total: before, progress: progress.to });
  return { files: out, bytesRead: before, disks };
}
