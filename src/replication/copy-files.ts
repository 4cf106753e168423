/**
 * @module replication/copy-files: copies a VM's files from the source host's datastore to the destination
 * host's datastore, one file at a time, each streamed host to host and verified (replication/relay-worker),
 * reporting overall progress; a session the host refused (HTTP 401) is renewed once.
 */
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import {
  type DatastoreFile,
  datastoreFileUrl,
  datastorePath,
  type VSphereClient,
  VSphereError,
} from '../vsphere/index.js';
import { relayFile } from './relay-pool.js';

/** One file to copy: where it is read, where it is written, the bytes expected (for progress). */
export interface CopyItem {
  from: DatastoreFile;
  to: DatastoreFile;
  expectedBytes: number;
}

/** A copied file: its destination path, bytes and SHA-256 (hex) checked on both sides. */
export interface CopiedFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** Maps copied bytes to the job's percent: copying spans `from`..`to`. */
export interface CopyProgress {
  from: number;
  to: number;
  report(update: ProgressUpdate): void;
}

const endpoint = (client: VSphereClient, file: DatastoreFile) => ({
  url: datastoreFileUrl(client, file),
  cookie: client.sessionCookie,
  thumbprint: client.thumbprint,
});

/**
 * Copies one file host to host, renewing a refused session once per side.
 * @throws VSphereError `Fault` naming the file and the HTTP status, or the checksum mismatch.
 */
async function copyOne(
  source: VSphereClient,
  dest: VSphereClient,
  item: CopyItem,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<CopiedFile> {
  const from = datastorePath(item.from.datastore, item.from.path);
  const to = datastorePath(item.to.datastore, item.to.path);
  const renewed = new Set<string>();
  for (;;) {
    const result = await relayFile(endpoint(source, item.from), endpoint(dest, item.to), signal, onBytes);
    if (!result.failed) return { path: to, bytes: result.bytes, sha256: result.sha256 };
    if (result.failed === 'verify') {
      throw new VSphereError(
        'Fault',
        msg('replication.error.copy_verify', { from, to, read: result.sha256, landed: result.landed || '-' }),
      );
    }
    const side = result.failed;
    if (result.truncated)
      throw new VSphereError(
        'Fault',
        msg('replication.error.source_closed', { file: from, bytes: result.bytes }),
      );
    if (result.status === 401 && !renewed.has(side)) {
      renewed.add(side);
      await (side === 'source' ? source : dest).reauthenticate();
      continue;
    }
    const reason = result.status === 404 ? msg('vsphere.reason.file_not_found') : `HTTP ${result.status}`;
    const failed =
      side === 'source'
        ? msg('vsphere.http.failed_read', { file: from, reason })
        : msg('vsphere.http.failed_upload', { file: to, reason });
    throw new VSphereError('Fault', failed, { status: result.status });
  }
}

/**
 * Copies every item in order, reporting `step.copying` steps and bytes.
 * @returns the copied files (bytes and verified SHA-256).
 * @throws VSphereError on HTTP or verification failures; the signal's reason when cancelled (files already
 *   written stay for the caller to remove).
 */
export async function copyFilesBetweenHosts(
  source: VSphereClient,
  dest: VSphereClient,
  items: CopyItem[],
  signal: AbortSignal,
  progress: CopyProgress,
): Promise<CopiedFile[]> {
  let before = 0;
  const out: CopiedFile[] = [];
  for (const [i, item] of items.entries()) {
    signal.throwIfAborted();
    const step = msg('step.copying', { file: item.to.path.split('/').pop() ?? item.to.path });
    const after = items.slice(i + 1).reduce((sum, f) => sum + f.expectedBytes, 0);
    const onBytes = (bytes: number) => {
      const done = before + bytes;
      const total = before + Math.max(bytes, item.expectedBytes) + after;
      const percent = progress.from + ((progress.to - progress.from) * done) / Math.max(total, 1);
      progress.report({ step, bytes_done: done, bytes_total: total, progress: Math.floor(percent) });
    };
    onBytes(0);
    const copied = await copyOne(source, dest, item, signal, onBytes);
    before += copied.bytes;
    out.push(copied);
  }
  progress.report({ bytes_done: before, bytes_total: before, progress: progress.to });
  return out;
}
