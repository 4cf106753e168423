/**
 * @module replication/relay-worker: Piscina worker that copies one datastore file from one ESXi host to
 * another without local staging: the source's datastore HTTP GET is piped straight into the destination's
 * PUT while SHA-256 is computed over the bytes read; then the destination file is read back and hashed, and
 * both digests must match. Progress goes back over a MessagePort; the string `'abort'` on it stops the copy.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (replication)
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { MessagePort } from 'node:worker_threads';
import { PinnedAgent } from '../vsphere/tls.js';

const PROGRESS_EVERY_MS = 200;

/** One side of the copy: datastore file URL, session cookie, pinned certificate fingerprint (HTTPS). */
export interface RelayEndpoint {
  url: string;
  cookie: string | null;
  thumbprint: string | null;
}

export interface RelayTask {
  source: RelayEndpoint;
  dest: RelayEndpoint;
  port: MessagePort;
}

/**
 * `bytes` copied and the SHA-256 (hex) of what was read; `failed` names the side that answered other than
 * 2xx (with its HTTP `status`), or `'verify'` when the destination's read-back digest (`landed`) differs.
 */
export interface RelayResult {
  bytes: number;
  sha256: string;
  landed?: string;
  status?: number;
  failed?: 'source' | 'dest' | 'verify';
  /** Milliseconds spent copying (GET piped into PUT) and reading the destination back. */
  copyMs?: number;
  verifyMs?: number;
}

const agents = new Map<string, http.Agent>();
function agentFor(end: RelayEndpoint): http.Agent {
  const key = end.url.startsWith('https:') ? `s${end.thumbprint ?? ''}` : 'h';
  let agent = agents.get(key);
  if (!agent) {
    agent = key === 'h' ? new http.Agent({ keepAlive: true }) : new PinnedAgent(end.thumbprint);
    agents.set(key, agent);
  }
  return agent;
}

function request(end: RelayEndpoint, method: string, signal: AbortSignal, size?: number) {
  const headers: Record<string, string | number> = end.cookie ? { Cookie: end.cookie } : {};
  if (size !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    headers['Content-Length'] = size;
  }
  const lib = end.url.startsWith('https:') ? https : http;
  return lib.request(end.url, { method, signal, agent: agentFor(end), headers });
}

const response = (req: http.ClientRequest) =>
  new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });

/**
 * Hashes and counts the chunks of `res` as they flow (a `data` listener: far less per-chunk work than a
 * stream stage, which matters with TLS's 16 KiB records), reporting the byte count on `port` at most every
 * PROGRESS_EVERY_MS, and once at the end.
 */
function meter(res: http.IncomingMessage, port: MessagePort | null) {
  const hash = createHash('sha256');
  const counter = { bytes: 0, hash };
  let last = 0;
  res.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    counter.bytes += chunk.length;
    if (!port) return;
    const now = Date.now();
    if (now - last >= PROGRESS_EVERY_MS) {
      last = now;
      port.postMessage(counter.bytes);
    }
  });
  res.once('end', () => port?.postMessage(counter.bytes));
  return counter;
}

/** Reads the destination file back. @returns its SHA-256 (hex), or null when it could not be read. */
async function readBack(end: RelayEndpoint, signal: AbortSignal): Promise<string | null> {
  const req = request(end, 'GET', signal);
  req.end();
  const res = await response(req);
  if (res.statusCode !== 200) {
    res.resume();
    return null;
  }
  const counter = meter(res, null);
  await finished(res);
  return counter.hash.digest('hex');
}

/** Copies `task.source` to `task.dest` and verifies the landed file (see the module doc). */
export async function relay(task: RelayTask): Promise<RelayResult> {
  const controller = new AbortController();
  task.port.on('message', (m) => {
    if (m === 'abort') controller.abort(new Error('aborted'));
  });
  const { signal } = controller;
  try {
    const started = performance.now();
    const get = request(task.source, 'GET', signal);
    get.end();
    const res = await response(get);
    if (res.statusCode !== 200) {
      res.resume();
      return { bytes: 0, sha256: '', status: res.statusCode ?? 0, failed: 'source' };
    }
    const length = res.headers['content-length'];
    const put = request(task.dest, 'PUT', signal, length === undefined ? undefined : Number(length));
    const answered = response(put);
    answered.catch(() => {}); // awaited below; an early failure also fails the pipeline
    const counter = meter(res, task.port);
    await pipeline(res as Readable, put, { signal });
    const done = await answered;
    done.resume();
    const sha256 = counter.hash.digest('hex');
    const status = done.statusCode ?? 0;
    if (status < 200 || status > 299) return { bytes: counter.bytes, sha256, status, failed: 'dest' };
    const copied = performance.now();
    const landed = await readBack(task.dest, signal);
    const times = { copyMs: copied - started, verifyMs: performance.now() - copied };
    if (landed !== sha256)
      return { bytes: counter.bytes, sha256, landed: landed ?? '', failed: 'verify', ...times };
    return { bytes: counter.bytes, sha256, landed, ...times };
  } finally {
    task.port.close();
  }
}
