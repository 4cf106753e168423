/** @module vsphere/datastore-http — streaming file access to datastores via the host's `/folder` HTTP interface. */

import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { toVSphereError, VSphereError } from './errors.js';
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

function send(
  client: VSphereClient,
  method: string,
  file: DatastoreFile,
  headers: Record<string, string | number>,
  body?: Readable,
): Promise<http.IncomingMessage> {
  const url = datastoreFileUrl(client, file);
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const cookie = client.sessionCookie;
    const req = lib.request(url, {
      method,
      agent: client.agent,
      headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) },
    });
    req.once('response', resolve);
    req.once('error', (err) => reject(toVSphereError(err, client.target)));
    if (body) {
      body.once('error', (err) => req.destroy(err));
      body.pipe(req);
    } else req.end();
  });
}

/** A failed datastore HTTP request (its body discarded). */
function failure(res: http.IncomingMessage, action: 'read' | 'upload', file: string): VSphereError {
  res.resume();
  return datastoreHttpError(res.statusCode ?? 0, action, file);
}

/**
 * The error of a datastore HTTP answer with status `status` (not 2xx): `NotAuthenticated` for 401 and 403,
 * else `Fault` (404 as "file not found"), with the status.
 * @param action `read` or `upload`; @param file `[datastore] path`.
 */
export function datastoreHttpError(status: number, action: 'read' | 'upload', file: string): VSphereError {
  if (status === 401 || status === 403) {
    return new VSphereError('NotAuthenticated', msg(`vsphere.http.refused_${action}`, { file }), { status });
  }
  const reason = status === 404 ? msg('vsphere.reason.file_not_found') : `HTTP ${status}`;
  return new VSphereError('Fault', msg(`vsphere.http.failed_${action}`, { file, reason }), { status });
}

/** Sends a request; a 401 (expired session) triggers one re-login and one retry (only for bodiless requests). */
async function sendRetry(
  client: VSphereClient,
  method: string,
  file: DatastoreFile,
  headers: Record<string, string>,
) {
  let res = await send(client, method, file, headers);
  if (res.statusCode === 401) {
    res.resume();
    await client.reauthenticate();
    res = await send(client, method, file, headers);
  }
  return res;
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
  const res = await sendRetry(client, 'GET', file, headers);
  const ok = file.range ? res.statusCode === 206 : res.statusCode === 200;
  if (file.range && res.statusCode === 200) {
    res.destroy();
    const name = datastorePath(file.datastore, file.path);
    throw new VSphereError('Fault', msg('vsphere.http.range_ignored', { file: name }), { status: 200 });
  }
  if (!ok) throw failure(res, 'read', datastorePath(file.datastore, file.path));
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
  const headers: Record<string, string | number> = { 'Content-Type': 'application/octet-stream' };
  if (file.size !== undefined) headers['Content-Length'] = file.size;
  const res = await send(client, 'PUT', file, headers, file.body);
  if (res.statusCode !== 200 && res.statusCode !== 201 && res.statusCode !== 204) {
    throw failure(res, 'upload', datastorePath(file.datastore, file.path));
  }
  res.resume();
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
