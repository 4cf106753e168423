/**
 * @module vsphere/datastore-http — datastore files: streaming access through the host's `/folder` HTTP interface
 * (over http-transfer.ts), and FileManager / VirtualDiskManager operations on them.
 */

import type { Readable } from 'node:stream';
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { toVSphereError, VSphereError } from './errors.js';
import { putUrl, requestUrl, transferFailure } from './http-transfer.js';
import { asString, type MoRef } from './normalize.js';
import { retrieveAll } from './property-collector.js';
import { runTask } from './tasks.js';

/** Locates one file: datacenter name (`ha-datacenter` on ESXi), datastore name, path inside the datastore. */
export interface DatastoreFile {
  datacenter: string;
  datastore: string;
  /** Path relative to the datastore root, e.g. `myvm/myvm-flat.vmdk` (no leading slash needed). */
  path: string;
}

/**
 * URL of a datastore file: `<base>/folder/<path>?dcPath=<datacenter>&dsName=<datastore>`.
 * Each path segment is percent-encoded. Reference: vSphere Web Services SDK guide, "Datastore HTTP access".
 */
export function datastoreFileUrl(client: VSphereClient, file: DatastoreFile): string {
  const path = file.path.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  const query = new URLSearchParams({ dcPath: file.datacenter, dsName: file.datastore });
  return `${client.baseUrl}/folder/${path}?${query}`;
}

/** `[datastore] path` notation used by FileManager and VM configs. */
export function datastorePath(datastore: string, path: string): string {
  return `[${datastore}] ${path.replace(/^\/+/, '')}`;
}

/**
 * Opens a datastore file for streaming read (HTTP GET), optionally a byte range.
 * @param range inclusive byte offsets; `end` omitted = to end of file.
 * @returns the body stream (not buffered) and its length in bytes (`null` if the server did not say).
 * @throws VSphereError `Fault` (status 404 when missing; 416 for a bad range; 200 when the host ignored the
 *   range and began sending the whole file, which is not read), `NotAuthenticated`, `Unreachable`.
 */
export async function openDatastoreRead(
  client: VSphereClient,
  file: DatastoreFile & { range?: { start: number; end?: number } },
): Promise<{ stream: Readable; size: number | null }> {
  const headers: Record<string, string> = {};
  if (file.range) headers.Range = `bytes=${file.range.start}-${file.range.end ?? ''}`;
  const res = await requestUrl(client, 'GET', datastoreFileUrl(client, file), headers);
  const ok = file.range ? res.statusCode === 206 : res.statusCode === 200;
  if (file.range && res.statusCode === 200) {
    res.destroy();
    const name = datastorePath(file.datastore, file.path);
    throw new VSphereError('Fault', msg('vsphere.http.range_ignored', { file: name }), { status: 200 });
  }
  if (!ok) throw transferFailure(res, 'read', datastorePath(file.datastore, file.path));
  const length = res.headers['content-length'];
  return { stream: res, size: length === undefined ? null : Number(length) };
}

/**
 * Uploads a file to a datastore (HTTP PUT), streaming `body`; parent directories are created by the host.
 * @param size body length in bytes; strongly recommended (real ESXi wants Content-Length), else chunked.
 * @throws VSphereError `Fault` (with `status`), `NotAuthenticated` (no retry: the body is consumed), `Unreachable`.
 */
export async function putDatastoreFile(
  client: VSphereClient,
  file: DatastoreFile & { body: Readable; size?: number },
): Promise<void> {
  await putUrl(client, {
    url: datastoreFileUrl(client, file),
    file: datastorePath(file.datastore, file.path),
    body: file.body,
    size: file.size,
  });
}

async function datacenterRef(client: VSphereClient, name: string): Promise<MoRef> {
  const dcs = await retrieveAll(client, 'Datacenter', ['name']);
  const found = dcs.find((o) => asString(o.props.name) === name);
  if (!found) throw new VSphereError('ManagedObjectNotFound', msg('vsphere.no_datacenter', { name }));
  return found.ref;
}

/**
 * Deletes a datastore file or folder (recursively) with FileManager.DeleteDatastoreFile_Task
 * (the `/folder` interface has no reliable DELETE on every ESXi version).
 * @throws VSphereError `TaskFailed` (faultType `FileNotFound` when missing), `ManagedObjectNotFound`.
 */
export async function deleteDatastoreFile(client: VSphereClient, file: DatastoreFile): Promise<void> {
  const fileManager = requireFileManager(client);
  const datacenter = await datacenterRef(client, file.datacenter);
  const name = datastorePath(file.datastore, file.path);
  await runTask(client, 'DeleteDatastoreFile_Task', { _this: fileManager, name, datacenter });
}

/**
 * Deletes a datastore file or folder when it is there (see `deleteDatastoreFile`).
 * @returns false when there was nothing to delete (FileNotFound).
 * @throws VSphereError for any other failure.
 */
export async function deleteDatastoreFileIfExists(
  client: VSphereClient,
  file: DatastoreFile,
): Promise<boolean> {
  try {
    await deleteDatastoreFile(client, file);
    return true;
  } catch (err) {
    const e = toVSphereError(err);
    if (e.faultType === 'FileNotFound') return false;
    throw e;
  }
}

/**
 * Moves a virtual disk (its descriptor `from`, with every extent it names) to `to` on the same host with
 * VirtualDiskManager.MoveVirtualDisk_Task, replacing a disk already there (force). Both are descriptor
 * (`.vmdk`) paths; the VM using the disk at `to` must be powered off.
 * @throws VSphereError `TaskFailed` (faultType `FileNotFound` when `from` is missing), `Fault` when the host
 *   has no VirtualDiskManager.
 * @see vSphere API reference, VirtualDiskManager.MoveVirtualDisk_Task
 */
export async function moveVirtualDisk(
  client: VSphereClient,
  from: DatastoreFile,
  to: DatastoreFile,
): Promise<void> {
  const manager = client.serviceContent.virtualDiskManager;
  if (!manager) throw new VSphereError('Fault', msg('vsphere.no_manager', { manager: 'VirtualDiskManager' }));
  const [sourceDatacenter, destDatacenter] = await Promise.all([
    datacenterRef(client, from.datacenter),
    datacenterRef(client, to.datacenter),
  ]);
  await runTask(client, 'MoveVirtualDisk_Task', {
    _this: manager,
    sourceName: datastorePath(from.datastore, from.path),
    sourceDatacenter,
    destName: datastorePath(to.datastore, to.path),
    destDatacenter,
    force: true,
  });
}

/**
 * Creates a directory (and its parents) on a datastore with FileManager.MakeDirectory.
 * @throws VSphereError `Fault` (faultType `FileAlreadyExists` when it exists).
 */
export async function makeDatastoreDirectory(client: VSphereClient, file: DatastoreFile): Promise<void> {
  const fileManager = requireFileManager(client);
  const datacenter = await datacenterRef(client, file.datacenter);
  const name = datastorePath(file.datastore, file.path);
  await client.call('MakeDirectory', { _this: fileManager, name, datacenter, createParentDirectories: true });
}

function requireFileManager(client: VSphereClient): MoRef {
  const ref = client.serviceContent.fileManager;
  if (!ref) throw new VSphereError('Fault', msg('vsphere.no_manager', { manager: 'FileManager' }));
  return ref;
}
