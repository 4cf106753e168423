/**
 * @module backup/copy-files: copies the selected VM files from datastore HTTP into the backup directory,
 * one at a time, each streamed and hashed by a worker thread, reporting overall progress.
 */

import path from 'node:path';
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import { datastoreFileUrl, datastorePath, type VSphereClient, VSphereError } from '../vsphere/index.js';
import type { SourceFile } from './file-selection.js';
import type { ManifestFile } from './manifest.js';
import { downloadToFile } from './transfer-pool.js';

/** Maps copied bytes to the job's percent: copying spans `from`..`to` of the whole backup. */
export interface CopyProgress {
  from: number;
  to: number;
  report(update: ProgressUpdate): void;
}

/**
 * Downloads one file, re-logging in once when the host refuses the session (HTTP 401).
 * @returns bytes and SHA-256. @throws VSphereError `Fault` naming the file and HTTP status; the abort reason.
 */
async function copyOne(
  client: VSphereClient,
  datacenter: string,
  file: SourceFile,
  dest: string,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
) {
  const url = datastoreFileUrl(client, { datacenter, datastore: file.datastore, path: file.path });
  for (let attempt = 0; ; attempt++) {
    const result = await downloadToFile(
      { url, cookie: client.sessionCookie, thumbprint: client.thumbprint, dest },
      signal,
      onBytes,
    );
    if (result.status === undefined) return result;
    if (result.status === 401 && attempt === 0) {
      await client.reauthenticate();
      continue;
    }
    throw new VSphereError(
      'Fault',
      msg('vsphere.http.failed_read', {
        file: datastorePath(file.datastore, file.path),
        reason: result.status === 404 ? msg('vsphere.reason.file_not_found') : `HTTP ${result.status}`,
      }),
      { status: result.status },
    );
  }
}

/**
 * Copies every file into `dir` under its `fileName`.
 * @param datacenter datacenter name for datastore HTTP (`dcPath`).
 * @returns the manifest entries (bytes actually written, SHA-256 hex), in order.
 * @throws VSphereError on HTTP failures; fs errors; the signal's reason when cancelled (files stay for the
 *   caller to remove with the directory).
 */
export async function copyFiles(
  client: VSphereClient,
  datacenter: string,
  files: SourceFile[],
  dir: string,
  signal: AbortSignal,
  progress: CopyProgress,
): Promise<ManifestFile[]> {
  let before = 0;
  const out: ManifestFile[] = [];
  for (const [i, file] of files.entries()) {
    signal.throwIfAborted();
    const step = msg('step.copying', { file: file.fileName });
    const after = files.slice(i + 1).reduce((sum, f) => sum + f.expectedBytes, 0);
    const onBytes = (bytes: number) => {
      const done = before + bytes;
      const total = before + Math.max(bytes, file.expectedBytes) + after;
      const percent = progress.from + ((progress.to - progress.from) * done) / Math.max(total, 1);
      progress.report({ step, bytes_done: done, bytes_total: total, progress: Math.floor(percent) });
    };
    onBytes(0);
    const result = await copyOne(client, datacenter, file, path.join(dir, file.fileName), signal, onBytes);
    before += result.bytes;
    out.push({
      name: file.fileName,
      source: file.name,
      type: file.type,
      size_bytes: result.bytes,
      sha256: result.sha256,
    });
  }
  progress.report({ bytes_done: before, bytes_total: before, progress: progress.to });
  return out;
}
