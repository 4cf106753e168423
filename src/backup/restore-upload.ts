/**
 * @module backup/restore-upload: puts a backup's files into a new VM folder on a datastore through
 * datastore HTTP (with Content-Length; from chunk slots in a worker thread, backup/upload-pool.ts),
 * renaming the .vmx and .nvram after the new VM. A file counts as uploaded once its source ended without
 * error (a restore point's is checked as it is read: backup/restore-source.ts) and the host took it.
 */
import { Readable } from 'node:stream';
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import { datastoreFileUrl, datastorePath, putDatastoreFile, type VSphereClient } from '../vsphere/index.js';
import { CorruptBackupError } from './errors.js';
import type { ManifestFile } from './manifest.js';
import type { RestoreSource } from './restore-source.js';
import { uploadFromSlots } from './upload-pool.js';
import { rewriteVmx } from './vmx.js';

/** The name a backed-up file takes in the restored VM's folder. */
export function restoredName(file: ManifestFile, vmName: string): string {
  if (file.type === 'config') return `${vmName}.vmx`;
  if (file.type === 'nvram') return `${vmName}.nvram`;
  return file.name;
}

/**
 * Points every network adapter of a .vmx at one portgroup (`ethernetN.networkName`), dropping distributed
 * switch bindings, so that the VM is registered already on that network (pure).
 */
export function isolateVmxNetworks(text: string, networkName: string): string {
  const quoted = networkName.replace(/\|/g, '|7C').replace(/"/g, '|22');
  return text
    .split('\n')
    .filter((line) => !/^\s*ethernet\d+\.dvs\./i.test(line))
    .map((line) =>
      line.replace(/^(\s*ethernet\d+\.networkName)\s*=\s*".*"\s*$/i, (_m, key) => `${key} = "${quoted}"`),
    )
    .join('\n');
}

/** Where the files go: datacenter (`dcPath`), datastore and the VM's folder in it. */
export interface UploadTarget {
  datacenter: string;
  datastore: string;
  folder: string;
}

/**
 * Uploads every file of the backup `source` into `target.folder`, plus an empty `vmware.log` (the
 * govmomi simulator's RegisterVM opens it; a real host rotates it at power-on).
 * @param options.networkName when set, the .vmx's network adapters are pointed at this portgroup.
 * @returns the datastore path of the uploaded .vmx, `[ds] folder/<vmName>.vmx`.
 * @throws VSphereError on upload failures; CorruptBackupError when the manifest has no .vmx, or a file read
 *   from a repository does not match its chunks' or its own digest (naming it; files already sent, this
 *   one whole or in part, stay for the caller to remove with the folder, as on any failure); the signal's
 *   reason when cancelled.
 */
export async function uploadBackup(
  client: VSphereClient,
  source: RestoreSource,
  vmName: string,
  target: UploadTarget,
  signal: AbortSignal,
  progress: { from: number; to: number; report(update: ProgressUpdate): void },
  options: { networkName?: string | undefined } = {},
): Promise<string> {
  const { manifest } = source;
  const names = new Set(manifest.files.map((f) => f.name));
  const total = Math.max(manifest.total_bytes, 1);
  let before = 0;
  let vmx = '';
  for (const file of manifest.files) {
    signal.throwIfAborted();
    const name = restoredName(file, vmName);
    const step = msg('step.uploading', { file: name });
    const report = (bytes: number) =>
      progress.report({
        step,
        bytes_done: before + bytes,
        bytes_total: manifest.total_bytes,
        progress: Math.floor(progress.from + ((progress.to - progress.from) * (before + bytes)) / total),
      });
    report(0);
    const path = `${target.folder}/${name}`;
    if (file.type === 'config') {
      const vmxText = rewriteVmx((await source.readAll(file, signal)).toString('utf8'), vmName, names);
      const text = options.networkName ? isolateVmxNetworks(vmxText, options.networkName) : vmxText;
      const bytes = Buffer.from(text, 'utf8');
      await putDatastoreFile(client, { ...target, path, body: Readable.from([bytes]), size: bytes.length });
    } else {
      const upload = {
        url: datastoreFileUrl(client, { ...target, path }),
        cookie: client.sessionCookie,
        thumbprint: client.thumbprint,
        size: file.size_bytes,
        file: datastorePath(target.datastore, path),
        signal,
      };
      await uploadFromSlots(upload, source.readSlots(file, signal), report);
    }
    if (file.type === 'config') vmx = name;
    before += file.size_bytes;
  }
  if (!vmx) throw new CorruptBackupError('backups.error.no_vmx');
  await putDatastoreFile(client, {
    ...target,
    path: `${target.folder}/vmware.log`,
    body: Readable.from([]),
    size: 0,
  });
  return `[${target.datastore}] ${target.folder}/${vmx}`;
}
