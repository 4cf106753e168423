/**
 * @module vsphere/http-transfer — the one HTTP transfer client of the host: streaming GET and PUT/POST with the
 * session cookie, over the client's pinned agent. Used for datastore files (`/folder`, datastore-http.ts) and for
 * the device URLs of an HttpNfcLease (`/nfc/...`, export and import).
 * Reference: vSphere Web Services SDK guide, "Datastore HTTP access"; vSphere API "HttpNfcLeaseDeviceUrl".
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { toVSphereError, VSphereError } from './errors.js';

function send(
  client: VSphereClient,
  method: string,
  url: string,
  headers: Record<string, string | number>,
  body?: Readable,
  signal?: AbortSignal,
): Promise<http.IncomingMessage> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const cookie = client.sessionCookie;
    const req = lib.request(url, {
      method,
      agent: client.agent,
      signal,
      headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) },
    });
    req.once('response', resolve);
    req.once('error', (err) => reject(signal?.aborted ? signal.reason : toVSphereError(err, client.target)));
    if (body) {
      body.once('error', (err) => req.destroy(err));
      body.pipe(req);
    } else req.end();
  });
}

/**
 * The error of a host HTTP answer with status `status` (not 2xx): `NotAuthenticated` for 401 and 403,
 * else `Fault` (404 as "file not found"), with the status.
 * @param action `read` or `upload`; @param file what was transferred, e.g. `[datastore] path` or a disk's name.
 */
export function datastoreHttpError(status: number, action: 'read' | 'upload', file: string): VSphereError {
  if (status === 401 || status === 403) {
    return new VSphereError('NotAuthenticated', msg(`vsphere.http.refused_${action}`, { file }), { status });
  }
  const reason = status === 404 ? msg('vsphere.reason.file_not_found') : `HTTP ${status}`;
  return new VSphereError('Fault', msg(`vsphere.http.failed_${action}`, { file, reason }), { status });
}

/** A failed request (its body discarded). */
export function transferFailure(
  res: http.IncomingMessage,
  action: 'read' | 'upload',
  file: string,
): VSphereError {
  res.resume();
  return datastoreHttpError(res.statusCode ?? 0, action, file);
}

/**
 * Sends a bodiless request; a 401 (expired session) triggers one re-login and one retry.
 * @throws VSphereError `Unreachable` (and the other network codes); the signal's reason when aborted.
 */
export async function requestUrl(
  client: VSphereClient,
  method: string,
  url: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<http.IncomingMessage> {
  let res = await send(client, method, url, headers, undefined, signal);
  if (res.statusCode === 401) {
    res.resume();
    await client.reauthenticate();
    res = await send(client, method, url, headers, undefined, signal);
  }
  return res;
}

/**
 * Opens a URL of the host for streaming read (HTTP GET), e.g. an export lease's disk.
 * @param file what is read, for messages.
 * @returns the body stream (not buffered) and its length in bytes (`null` if the host did not say).
 * @throws VSphereError `Fault` (with `status`), `NotAuthenticated`, `Unreachable`; the signal's reason.
 */
export async function openUrlRead(
  client: VSphereClient,
  url: string,
  file: string,
  signal?: AbortSignal,
): Promise<{ stream: Readable; size: number | null }> {
  const res = await requestUrl(client, 'GET', url, {}, signal);
  if (res.statusCode !== 200) throw transferFailure(res, 'read', file);
  const length = res.headers['content-length'];
  return { stream: res, size: length === undefined ? null : Number(length) };
}

/**
 * Uploads to a URL of the host, streaming `body`: PUT for a datastore file or a file an import lease creates,
 * POST for a disk of an import lease (as govmomi's nfc client does).
 * @param size body length in bytes; strongly recommended (real ESXi wants Content-Length), else chunked.
 * @throws VSphereError `Fault` (with `status`), `NotAuthenticated` (no retry: the body is consumed),
 *   `Unreachable`; the signal's reason.
 */
export async function putUrl(
  client: VSphereClient,
  upload: {
    url: string;
    file: string;
    body: Readable;
    size?: number;
    method?: 'PUT' | 'POST';
    signal?: AbortSignal;
  },
): Promise<void> {
  const headers: Record<string, string | number> = { 'Content-Type': 'application/octet-stream' };
  if (upload.size !== undefined) headers['Content-Length'] = upload.size;
  const res = await send(client, upload.method ?? 'PUT', upload.url, headers, upload.body, upload.signal);
  if (res.statusCode !== 200 && res.statusCode !== 201 && res.statusCode !== 204) {
    throw transferFailure(res, 'upload', upload.file);
  }
  res.resume();
}
