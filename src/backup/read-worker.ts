/**
 * @module backup/read-worker: Piscina worker that reads one datastore file over datastore HTTP straight off
 * the socket (vsphere/datastore-scan) into chunk slots, so that neither the TLS reads nor their garbage
 * load the main thread. The main thread lends empty SharedArrayBuffer slots on the task's `slots` port and
 * gets them back filled, in file order (each full but the last) as `{ slot, length, last }`, then `{ end }` with
 * the scan's result, the slots left unused and the whole-file digest of the bytes (as the repository
 * makes it), computed here as they arrive. With no empty slot at hand the socket pauses until one
 * comes. The string `'abort'` on `port` stops the read. Called through backup/read-pool.ts only.
 */
import type { MessagePort } from 'node:worker_threads';
import { fileHash } from '../repository/blob.js';
import { type ScanResult, scanDatastoreFile } from '../vsphere/datastore-scan.js';

export interface ReadTask {
  /** Datastore file URL, session cookie, pinned certificate fingerprint (as scanDatastoreFile takes them). */
  url: string;
  cookie: string | null;
  thumbprint: string | null;
  /** Bytes of each slot (the repository's chunk size). */
  slotBytes: number;
  /** The repository's key of whole-file digests (repository/blob.ts `fileHash`), null for SHA-256. */
  digestKey: Uint8Array | null;
  /** Empty slots (SharedArrayBuffer) come in here; filled ones and the end (SlotMessage) go out. */
  slots: MessagePort;
  /** Receives `'abort'`. */
  port: MessagePort;
}

/** What the worker posts on `slots`: a filled slot, or the end of the file. */
export type SlotMessage =
  | { slot: SharedArrayBuffer; length: number; last: boolean }
  | { end: ScanResult; unused: SharedArrayBuffer[]; sha256: string };

/**
 * Reads the file into the slots it is lent (see the module doc).
 * @returns the scan's result (also posted as `end`). @throws as scanDatastoreFile (socket errors, a
 *   certificate other than the pinned one), Error `aborted` on `'abort'`.
 */
export async function readToSlots(task: ReadTask): Promise<ScanResult> {
  const controller = new AbortController();
  task.port.on('message', (m) => {
    if (m === 'abort') controller.abort(new Error('aborted'));
  });
  const empty: SharedArrayBuffer[] = [];
  let slot: SharedArrayBuffer | null = null;
  let view: Uint8Array = new Uint8Array(0);
  let fill = 0;
  // Copies of the bytes that found no empty slot, in order (the socket is paused until slots come).
  const pending: Buffer[] = [];
  let drained: (() => void) | null = null;
  const pacing: { resume?: () => void } = {};

  // The body's length (Content-Length) and the bytes sent so far: the last slot says it is the last, so that
  // no empty slot is lent after it (one would be lost with this task's port).
  let total = -1;
  let sent = 0;
  const send = () => {
    sent += fill;
    task.slots.postMessage({ slot, length: fill, last: sent === total });
    slot = null;
    fill = 0;
  };
  /** Copies `bytes` into slots. @returns how many were copied (all unless no empty slot is left). */
  const put = (bytes: Uint8Array): number => {
    let at = 0;
    while (at < bytes.length) {
      if (!slot) {
        slot = empty.shift() ?? null;
        if (!slot) break;
        view = new Uint8Array(slot);
      }
      const n = Math.min(task.slotBytes - fill, bytes.length - at);
      view.set(bytes.subarray(at, at + n), fill);
      fill += n;
      at += n;
      if (fill === task.slotBytes) send();
    }
    return at;
  };
  const hash = fileHash(task.digestKey);
  const onData = (bytes: Uint8Array) => {
    hash.update(bytes);
    const n = pending.length === 0 ? put(bytes) : 0;
    if (n === bytes.length) return true;
    pending.push(Buffer.from(bytes.subarray(n)));
    return false;
  };
  task.slots.on('message', (lent: SharedArrayBuffer) => {
    empty.push(lent);
    while (pending.length > 0) {
      const head = pending[0] as Buffer;
      const n = put(head);
      if (n < head.length) {
        pending[0] = head.subarray(n);
        return;
      }
      pending.shift();
      if (pending.length === 0) {
        drained?.();
        pacing.resume?.();
      }
    }
  });
  try {
    const { url, cookie, thumbprint } = task;
    const end = await scanDatastoreFile({
      url,
      cookie,
      thumbprint,
      signal: controller.signal,
      onHead: (_status, length) => {
        total = length;
      },
      onData,
      pacing,
    });
    if (pending.length > 0) {
      await new Promise<void>((resolve, reject) => {
        drained = resolve;
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
    }
    if (fill > 0) send();
    const sha256 = hash.digest('hex');
    task.slots.postMessage({ end, unused: slot ? [slot, ...empty] : empty, sha256 });
    return end;
  } finally {
    task.slots.close();
    task.port.close();
  }
}
