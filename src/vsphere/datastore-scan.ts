/**
 * @module vsphere/datastore-scan: reads a datastore file (or a byte range of it) over datastore HTTP
 * (`/folder/...`) straight off the socket into one reused buffer (`onread` of net/tls sockets), handing each
 * piece to a callback that must use it at once (hash it). No allocation per TLS record and no stream
 * machinery: about half the CPU of node:https for the same bytes, which is what a read-back of a whole disk
 * costs. Only the simple answer is handled (HTTP/1.1 with a Content-Length); anything else (chunked
 * encoding, an over-long head) is reported `unsupported` so that the caller can fall back to node:https.
 * @see vSphere Web Services SDK Programming Guide, "HTTP access to datastore files" (GET with Range)
 */
import net from 'node:net';
import tls from 'node:tls';
import { certificateMismatch, normalizeThumbprint } from './tls.js';

/** The reused read buffer: no piece handed to `onData` is longer. */
export const READ_BUFFER_BYTES = 256 * 1024;
const MAX_HEADER_BYTES = 64 * 1024;
const IDLE_TIMEOUT_MS = 120_000;
const HEADER_END = Buffer.from('\r\n\r\n');

export interface ScanRequest {
  /** The datastore file URL (`https://host/folder/path?dcPath=...&dsName=...`). */
  url: string;
  /** The vSphere session cookie (`vmware_soap_session=...`), or null. */
  cookie: string | null;
  /** The pinned certificate fingerprint (SHA-256, any hex form); null accepts any certificate. */
  thumbprint: string | null;
  /** Bytes `start` to `end` (exclusive) only; the whole file when absent. */
  range?: { start: number; end: number };
  signal: AbortSignal;
  /** Called once before any body, when the answer is 2xx with a Content-Length (`length`, bytes). */
  onHead?: (status: number, length: number) => void;
  /**
   * Receives the body in order, at most READ_BUFFER_BYTES at a time; the view is reused after the call
   * returns. Returning false stops the reading until `pacing.resume()` is called.
   */
  onData: (chunk: Uint8Array) => boolean | undefined;
  /** Filled with `resume()` once the socket exists (for an `onData` that returned false). */
  pacing?: { resume?: () => void };
}

/**
 * The HTTP status, the body bytes handed to `onData`, whether the whole announced body arrived, and whether
 * the answer was of a kind this reader does not handle (nothing was handed to `onData` then).
 */
export interface ScanResult {
  status: number;
  bytes: number;
  complete: boolean;
  unsupported?: true;
}

function requestText(url: URL, cookie: string | null, range?: { start: number; end: number }): string {
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
  if (cookie) lines.push(`Cookie: ${cookie}`);
  if (range) lines.push(`Range: bytes=${range.start}-${range.end - 1}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Status and Content-Length of a response head (`length` null when absent, or when a transfer encoding
 * makes it meaningless); null when there is no HTTP/1.x status line.
 */
function parseHead(head: string): { status: number; length: number | null } | null {
  const [statusLine, ...headers] = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1];
  if (!status) return null;
  let length: number | null = null;
  let encoded = false;
  for (const line of headers) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') length = Number(value);
    if (name === 'transfer-encoding' && value.toLowerCase() !== 'identity') encoded = true;
  }
  const valid = length !== null && Number.isSafeInteger(length) && length >= 0 && !encoded;
  return { status: Number(status), length: valid ? length : null };
}

/**
 * Reads `request.url` (see the module doc).
 * @returns the status and body bytes; `complete` is false for an answer other than 2xx with a
 *   Content-Length, or a body cut short.
 * @throws the signal's reason when aborted; VSphereError `CertificateMismatch` for another certificate than
 *   the pinned one; socket errors (refused, reset, idle for IDLE_TIMEOUT_MS).
 */
export function scanDatastoreFile(request: ScanRequest): Promise<ScanResult> {
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (request.signal.aborted) return Promise.reject(request.signal.reason);
  return new Promise<ScanResult>((resolve, reject) => {
    let head: Buffer | null = Buffer.alloc(0);
    let length: number | null = null;
    let status = 0;
    let bytes = 0;
    let settled = false;
    const finish = (result: ScanResult | Error) => {
      if (settled) return;
      settled = true;
      request.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = () => finish(request.signal.reason as Error);
    /** Hands on a piece of body. @returns false to pause the socket (the receiver asked for it). */
    const body = (chunk: Uint8Array): boolean => {
      const wanted = Math.min(chunk.length, (length as number) - bytes);
      const more = wanted > 0 ? request.onData(chunk.subarray(0, wanted)) : true;
      bytes += wanted;
      if (bytes >= (length as number)) finish({ status, bytes, complete: true });
      return more !== false;
    };
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
      callback: (nread: number, buffer: Uint8Array) => {
        if (settled) return false;
        const chunk = buffer.subarray(0, nread);
        if (!head) return body(chunk);
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf(HEADER_END);
        if (end < 0) {
          if (head.length > MAX_HEADER_BYTES)
            finish({ status: 0, bytes: 0, complete: false, unsupported: true });
          return true;
        }
        const parsed = parseHead(head.subarray(0, end).toString('latin1'));
        const rest = head.subarray(end + HEADER_END.length);
        head = null;
        status = parsed?.status ?? 0;
        length = parsed?.length ?? null;
        if (!parsed || (length === null && status >= 200 && status <= 299)) {
          finish({ status, bytes: 0, complete: false, unsupported: true });
          return false;
        }
        if (length === null || status < 200 || status > 299) {
          finish({ status, bytes: 0, complete: false });
          return false;
        }
        request.onHead?.(status, length);
        if (length === 0) finish({ status, bytes: 0, complete: true });
        else if (rest.length > 0) return body(rest);
        return true;
      },
    };
    const sendRequest = () => socket.write(requestText(url, request.cookie, request.range));
    const socket: net.Socket = secure
      ? tls.connect({
          host: hostname,
          port,
          rejectUnauthorized: false,
          ...(net.isIP(hostname) ? {} : { servername: hostname }),
          onread,
        } as tls.ConnectionOptions)
      : net.connect({ host: hostname, port, onread });
    if (request.pacing) request.pacing.resume = () => socket.resume();
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      if (secure && request.thumbprint) {
        const presented = normalizeThumbprint(
          (socket as tls.TLSSocket).getPeerCertificate().fingerprint256 ?? '',
        );
        const pinned = normalizeThumbprint(request.thumbprint);
        if (presented !== pinned) return finish(certificateMismatch(hostname, port, pinned, presented));
      }
      sendRequest();
    });
    socket.setTimeout(IDLE_TIMEOUT_MS, () => finish(new Error(`No data from ${url.host} for 120 s.`)));
    socket.on('error', (err) => finish(err));
    socket.once('close', () => finish({ status, bytes, complete: length !== null && bytes >= length }));
    request.signal.addEventListener('abort', onAbort, { once: true });
  });
}
