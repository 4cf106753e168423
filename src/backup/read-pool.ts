/**
 * @module backup/read-pool: reads a datastore file into chunk slots in a worker thread (backup/read-worker),
 * lending it slots of the repository's slot pool two at a time and yielding them back filled, in order,
 * with the whole-file digest the worker made of the bytes (so that a backup needs no hash thread).
 * The one datastore transfer client stays vsphere/datastore-scan; this only moves it off the main thread.
 */
import { MessageChannel } from 'node:worker_threads';
import { msg } from '../i18n/message.js';
import type { FilledSlot } from '../repository/file-writer.js';
import { giveSlot, takeSlot } from '../repository/pool.js';
import type { ScanResult } from '../vsphere/datastore-scan.js';
import { datastoreHttpError, VSphereError } from '../vsphere/index.js';
import { type WorkerPool, workerPool } from '../workers/pool.js';
import type { SlotMessage } from './read-worker.js';

const pool: WorkerPool = workerPool(import.meta.url, 'read-worker', {
  maxThreads: 2,
  idleSeconds: 30,
  warmThreads: 1,
});

/** Starts the pool's warm read thread now (the app's start-up): a backup or restore does not wait for it. */
export const warmReadPool = (): void => pool.warm();

/** Slots the worker holds at once: one it fills, one ready for the next bytes. */
const LENT = 2;

/** The answer was of a kind the socket reader does not handle (chunked encoding...): read it otherwise. */
export class UnsupportedAnswer extends Error {}

/** What to read: as scanDatastoreFile takes it, plus the slot size and the file's `[datastore] path`. */
export interface SlotRead {
  url: string;
  cookie: string | null;
  thumbprint: string | null;
  slotBytes: number;
  /** The repository's key of whole-file digests (RestorePointWriter `digestKey`). */
  digestKey: Uint8Array | null;
  /** `[datastore] path`, for errors. */
  file: string;
  signal: AbortSignal;
}

/** The error of a scan that did not bring the whole file, or null when it did. */
function scanError(end: ScanResult, file: string): Error | null {
  if (end.unsupported) return new UnsupportedAnswer(`unsupported answer for ${file}`);
  if (end.status < 200 || end.status > 299) return datastoreHttpError(end.status, 'read', file);
  if (end.complete) return null;
  return new VSphereError('Fault', msg('vsphere.http.closed_read', { file, bytes: end.bytes }), {
    status: end.status,
  });
}

/** A read under way: its slots, and the whole-file digest of their bytes once they are all out. */
export interface SlotReading {
  slots: AsyncGenerator<FilledSlot>;
  /** @throws Error before the last slot was yielded and the read ended well. */
  sha256(): string;
}

/**
 * Reads `read.url` in a worker into slots of the slot pool (repository/pool.ts `takeSlot`), computing the
 * whole-file digest (keyed with `read.digestKey`) as the bytes arrive.
 * @returns the reading: `slots` yields the file's bytes in order (each slot is the caller's, to give back
 *   with `giveSlot`) and throws as below; `sha256()` answers once it ended well.
 * @throws (from `slots`) VSphereError `NotAuthenticated` (401, 403) or `Fault` (other statuses, a connection closed
 *   before the end), before any slot when the status is not 2xx; UnsupportedAnswer (nothing yielded);
 *   socket errors; `CertificateMismatch`; the signal's reason when aborted.
 */
export function readIntoSlots(read: SlotRead): SlotReading {
  let digest: string | null = null;
  const sha256 = () => {
    if (digest === null) throw new Error(`the read of ${read.file} has not ended`);
    return digest;
  };
  return { slots: scan(read, (hex) => (digest = hex)), sha256 };
}

/** The slots of readIntoSlots; `onDigest` gets the whole-file digest once the read ended well. */
async function* scan(read: SlotRead, onDigest: (hex: string) => void): AsyncGenerator<FilledSlot> {
  const { port1, port2 } = new MessageChannel();
  const inbox: SlotMessage[] = [];
  let failed: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  port1.on('message', (m: SlotMessage) => {
    inbox.push(m);
    wake?.();
  });
  const stop = new AbortController();
  const { url, cookie, thumbprint, slotBytes, digestKey } = read;
  const task = pool.run<ScanResult>(
    'readToSlots',
    { url, cookie, thumbprint, slotBytes, digestKey: digestKey && new Uint8Array(digestKey), slots: port2 },
    AbortSignal.any([read.signal, stop.signal]),
    undefined,
    [port2],
  );
  task.catch((error: unknown) => {
    failed = { error };
    wake?.();
  });
  for (let i = 0; i < LENT; i++) port1.postMessage(takeSlot(slotBytes));
  let ended = false;
  try {
    for (;;) {
      while (inbox.length === 0 && !failed) await new Promise<void>((resolve) => (wake = resolve));
      const m = inbox.shift();
      if (!m) throw (failed as { error: unknown } | null)?.error;
      if ('end' in m) {
        ended = true;
        for (const slot of m.unused) giveSlot(slot);
        const error = scanError(m.end, read.file);
        if (error) throw error;
        onDigest(m.sha256);
        return;
      }
      if (!m.last) port1.postMessage(takeSlot(slotBytes));
      yield { slot: m.slot, length: m.length };
    }
  } finally {
    if (!ended) stop.abort(new Error('read abandoned'));
    await task.catch(() => {});
    port1.close();
  }
}
