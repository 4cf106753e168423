/**
 * @module backup/upload-pool: uploads a datastore file from chunk slots in a worker thread
 * (backup/upload-worker), a few slots at a time, each given back to the slot pool once the worker wrote it.
 * The PUT is ended only once the source has yielded its last slot and ended without error (a restore
 * point's whole-file digest is checked then).
 */
import { MessageChannel } from 'node:worker_threads';
import type { FilledSlot } from '../repository/file-writer.js';
import { giveSlot } from '../repository/pool.js';
import { datastoreHttpError } from '../vsphere/index.js';
import { type WorkerPool, workerPool } from '../workers/pool.js';
import type { UploadMessage } from './upload-worker.js';

const pool: WorkerPool = workerPool(import.meta.url, 'upload-worker', {
  maxThreads: 2,
  idleSeconds: 30,
  warmThreads: 1,
});

/** Starts the pool's warm upload thread now (the app's start-up): a backup or restore does not wait for it. */
export const warmUploadPool = (): void => pool.warm();

/** Slots in the worker at once (being written to the socket or waiting to be). */
const LENT = 4;

/** Where to upload: as the worker takes it, plus the file's size and `[datastore] path` (for errors). */
export interface SlotUpload {
  url: string;
  cookie: string | null;
  thumbprint: string | null;
  size: number;
  file: string;
  signal: AbortSignal;
}

/**
 * Uploads the bytes of `source` (filled slots, the caller's until yielded: each is given back once sent).
 * @param onBytes called with the bytes handed to the worker so far.
 * @throws the source's errors (the PUT is aborted: the host may keep part of the file, for the caller to
 *   remove); VSphereError `NotAuthenticated` or `Fault` with the status for an answer other than 2xx;
 *   socket errors; the signal's reason when aborted.
 */
export async function uploadFromSlots(
  upload: SlotUpload,
  source: AsyncIterable<FilledSlot>,
  onBytes: (bytes: number) => void = () => {},
): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  let lent = 0;
  let settled = false;
  let wake: (() => void) | null = null;
  port1.on('message', (m: { done: SharedArrayBuffer }) => {
    giveSlot(m.done);
    lent--;
    wake?.();
  });
  const stop = new AbortController();
  const { url, cookie, thumbprint, size } = upload;
  const task = pool.run<number>(
    'uploadSlots',
    { url, cookie, thumbprint, size, slots: port2 },
    AbortSignal.any([upload.signal, stop.signal]),
    undefined,
    [port2],
  );
  const status = task.finally(() => {
    settled = true;
    wake?.();
  });
  status.catch(() => {});
  const post = (m: UploadMessage) => port1.postMessage(m);
  let sent = 0;
  try {
    for await (const filled of source) {
      while (lent >= LENT && !settled) await new Promise<void>((resolve) => (wake = resolve));
      if (settled) {
        giveSlot(filled.slot);
        break;
      }
      lent++;
      post(filled);
      sent += filled.length;
      onBytes(sent);
    }
    if (!settled) post('end');
    const answered = await status;
    if (answered < 200 || answered > 299) throw datastoreHttpError(answered, 'upload', upload.file);
  } catch (err) {
    stop.abort(err);
    await status.catch(() => {});
    throw err;
  } finally {
    port1.close();
  }
}
