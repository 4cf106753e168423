/**
 * @module replication/relay-worker: Piscina worker functions that copy one datastore file from one ESXi host
 * to another without local staging and check what landed.
 * - `relay`: the source's datastore HTTP GET is read off the socket into one reused buffer
 *   (vsphere/datastore-scan), hashed (SHA-256) and gathered into a few 1 MiB blocks written to the
 *   destination's PUT; a source answer the scanner does not handle is piped through node:https instead.
 * - `verifyLanding`, run at the same time in another thread: reads the destination file back with ranged
 *   GETs (scanned the same way) that stay VERIFY_MARGIN bytes behind what `relay` has sent (so the check overlaps the copy instead
 *   of following it), hashes it in order and, once the copy ended, reads the rest. A read that cannot be
 *   made early (the host refuses ranges or the file while it is written), or an early digest that differs,
 *   is redone from the start after the PUT finished, so only the finished file decides.
 * `relay` tells `verifyLanding` its progress over a MessagePort (`FrontierMessage`). Progress goes back to
 * the caller over each task's port; the string `'abort'` on it stops the task.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (replication)
 */
import { createHash, type Hash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { MessagePort } from 'node:worker_threads';
import { READ_BUFFER_BYTES, scanDatastoreFile } from '../vsphere/datastore-scan.js';
import { PinnedAgent } from '../vsphere/tls.js';

const PROGRESS_EVERY_MS = 200;
/** The copy gathers the source's bytes into this many blocks of BLOCK_BYTES, each written to the PUT whole. */
const BLOCKS = 8;
const BLOCK_BYTES = 1024 * 1024;
const MiB = 1024 * 1024;
/** `relay` reports its frontier to the verifier every this many bytes. */
const FRONTIER_STEP = 8 * MiB;
/** The verifier reads ranges of this many bytes while the copy runs. */
const VERIFY_CHUNK = 64 * MiB;
/**
 * ...and never closer than this to what `relay` has sent: more than every buffer between the two (stream
 * buffers, both kernels' socket buffers, the host's own) can hold, so a range read early is already written.
 */
const VERIFY_MARGIN = 32 * MiB;

/** One side of the copy: datastore file URL, session cookie, pinned certificate fingerprint (HTTPS). */
export interface RelayEndpoint {
  url: string;
  cookie: string | null;
  thumbprint: string | null;
}

/**
 * From `relay` to `verifyLanding`: `sent` bytes handed to the PUT so far; then `done` once, with whether the
 * destination accepted the file (`ok`), its size and the source's SHA-256 (hex).
 */
export type FrontierMessage = { sent: number } | { done: { ok: boolean; bytes: number; sha256: string } };

export interface RelayTask {
  source: RelayEndpoint;
  dest: RelayEndpoint;
  /** Where the frontier goes (to the `verifyLanding` task of the same copy). */
  frontier: MessagePort;
  port: MessagePort;
}

export interface VerifyTask {
  dest: RelayEndpoint;
  /** The other end of the `relay` task's `frontier`. */
  frontier: MessagePort;
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
  /** With `failed: 'source'`: the source closed the connection before the end, after `bytes` bytes. */
  truncated?: boolean;
  /** Milliseconds spent copying (GET piped into PUT), and checking after the copy ended. */
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

function request(
  end: RelayEndpoint,
  method: string,
  signal: AbortSignal,
  extra: { size?: number; range?: { start: number; end: number } } = {},
) {
  const headers: Record<string, string | number> = end.cookie ? { Cookie: end.cookie } : {};
  if (extra.size !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    headers['Content-Length'] = extra.size;
  }
  if (extra.range) headers.Range = `bytes=${extra.range.start}-${extra.range.end - 1}`;
  const lib = end.url.startsWith('https:') ? https : http;
  return lib.request(end.url, { method, signal, agent: agentFor(end), headers });
}

const response = (req: http.ClientRequest) =>
  new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });

/** An AbortSignal fired by `'abort'` on the task's port. */
function abortOn(port: MessagePort): AbortSignal {
  const controller = new AbortController();
  port.on('message', (m) => {
    if (m === 'abort') controller.abort(new Error('aborted'));
  });
  return controller.signal;
}

/**
 * Hashes and counts the chunks of `res` as they flow into `hash` (a `data` listener: far less per-chunk work
 * than a stream stage, which matters with TLS's 16 KiB records), calling `onBytes` with the count so far after
 * each chunk. @returns the live count.
 */
function meter(res: http.IncomingMessage, hash: Hash, onBytes?: (bytes: number) => void) {
  const counter = { bytes: 0 };
  res.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    counter.bytes += chunk.length;
    onBytes?.(counter.bytes);
  });
  return counter;
}

/** A copy's outcome (see RelayResult), before timing. */
type Copied = Omit<RelayResult, 'copyMs' | 'verifyMs' | 'landed'>;

/** Reports the bytes handed to the PUT: to the verifier every FRONTIER_STEP, to the caller every 200 ms. */
function progressReporter(task: RelayTask) {
  let lastSent = 0;
  let lastProgress = 0;
  return {
    sent(bytes: number) {
      if (bytes - lastSent < FRONTIER_STEP) return;
      lastSent = bytes;
      task.frontier.postMessage({ sent: bytes } satisfies FrontierMessage);
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        task.port.postMessage(bytes);
      }
    },
    end(bytes: number) {
      task.port.postMessage(bytes);
    },
  };
}

/** The source closed the connection before the end of the file (reported as a `truncated` outcome). */
class SourceClosed extends Error {
  constructor(readonly bytes: number) {
    super(`source closed after ${bytes} bytes`);
  }
}

/** The outcome once the destination answered the PUT of `bytes` (hashed into `hash`). */
function settle(
  reply: http.IncomingMessage,
  bytes: number,
  hash: Hash,
  progress: ReturnType<typeof progressReporter>,
): Copied {
  reply.resume();
  progress.end(bytes);
  const sha256 = hash.digest('hex');
  const status = reply.statusCode ?? 0;
  if (status < 200 || status > 299) return { bytes, sha256, status, failed: 'dest' };
  return { bytes, sha256 };
}

/**
 * The copy read with `scanDatastoreFile`: the source's bytes are hashed and gathered from the one read
 * buffer into a few BLOCK_BYTES blocks written to the PUT (each reused once written; the source socket waits
 * when none is free).
 * @returns the outcome, or null when the source answered in a way the scanner does not handle.
 */
async function copyScanned(task: RelayTask, signal: AbortSignal): Promise<Copied | null> {
  const progress = progressReporter(task);
  const hash = createHash('sha256');
  const stop = new AbortController();
  const free: Buffer[] = Array.from({ length: BLOCKS }, () => Buffer.allocUnsafe(BLOCK_BYTES));
  let block: Buffer | null = free.pop() ?? null;
  let filled = 0;
  let written = 0;
  let waiting = false;
  let put: http.ClientRequest | null = null;
  let answered: Promise<http.IncomingMessage> | null = null;
  let early: http.IncomingMessage | null = null; // the destination's answer when it came before the end
  const pacing: { resume?: () => void } = {};
  const flush = () => {
    const full = block as Buffer;
    const bytes = filled;
    block = free.pop() ?? null;
    filled = 0;
    put?.write(full.subarray(0, bytes), (err) => {
      if (err) return;
      free.push(full);
      written += bytes;
      progress.sent(written);
      if (waiting) {
        // The socket may have handed on more after the pause (a block was made for it): keep that one.
        waiting = false;
        block ??= free.pop() ?? null;
        pacing.resume?.();
      }
    });
  };
  try {
    const scan = await scanDatastoreFile({
      ...task.source,
      signal: AbortSignal.any([signal, stop.signal]),
      pacing,
      onHead: (status, length) => {
        if (status !== 200) return;
        put = request(task.dest, 'PUT', signal, { size: length });
        put.on('error', (err) => stop.abort(err));
        answered = response(put);
        answered.then((reply) => (early = reply)).catch(() => {}); // awaited below
      },
      onData: (chunk) => {
        hash.update(chunk);
        for (let offset = 0; offset < chunk.length; ) {
          block ??= Buffer.allocUnsafe(BLOCK_BYTES); // a piece longer than the pool holds (not expected)
          const n = Math.min(chunk.length - offset, BLOCK_BYTES - filled);
          block.set(chunk.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
          if (BLOCK_BYTES - filled < READ_BUFFER_BYTES) flush();
        }
        if (block) return true;
        waiting = true;
        return false;
      },
    });
    if (scan.unsupported) return null;
    if (!put || !answered) return { bytes: 0, sha256: '', status: scan.status, failed: 'source' };
    if (!scan.complete) throw new SourceClosed(scan.bytes);
    const sending = put as http.ClientRequest;
    if (filled > 0) flush();
    sending.end();
    return settle(await (answered as Promise<http.IncomingMessage>), scan.bytes, hash, progress);
  } catch (err) {
    (put as http.ClientRequest | null)?.destroy();
    const refused = (early as http.IncomingMessage | null)?.statusCode ?? 0;
    if (!signal.aborted && (refused < 200 || refused > 299) && refused !== 0) {
      return { bytes: written, sha256: '', status: refused, failed: 'dest' }; // e.g. 401: a session to renew
    }
    if (err instanceof SourceClosed && !signal.aborted && !stop.signal.aborted) {
      return { bytes: err.bytes, sha256: '', failed: 'source', truncated: true };
    }
    throw stop.signal.aborted && !signal.aborted ? stop.signal.reason : err;
  }
}

/** The copy through node:https (GET piped into PUT), for sources the scanner does not handle. */
async function copyWithHttps(task: RelayTask, signal: AbortSignal): Promise<Copied> {
  const progress = progressReporter(task);
  const get = request(task.source, 'GET', signal);
  get.end();
  const res = await response(get);
  if (res.statusCode !== 200) {
    res.resume();
    return { bytes: 0, sha256: '', status: res.statusCode ?? 0, failed: 'source' };
  }
  const length = res.headers['content-length'];
  const put = request(task.dest, 'PUT', signal, { size: length === undefined ? undefined : Number(length) });
  const answered = response(put);
  answered.catch(() => {}); // awaited below; an early failure also fails the pipeline
  const hash = createHash('sha256');
  const counter = meter(res, hash, (bytes) => progress.sent(bytes));
  await pipeline(res as Readable, put, { signal });
  return settle(await answered, counter.bytes, hash, progress);
}

/** Copies `task.source` to `task.dest` (see the module doc); the check is `verifyLanding`'s. */
export async function relay(task: RelayTask): Promise<RelayResult> {
  const signal = abortOn(task.port);
  let done: FrontierMessage | null = null;
  try {
    const started = performance.now();
    const copied = (await copyScanned(task, signal)) ?? (await copyWithHttps(task, signal));
    if (copied.failed !== 'source') {
      done = { done: { ok: !copied.failed, bytes: copied.bytes, sha256: copied.sha256 } };
    }
    return { ...copied, copyMs: performance.now() - started };
  } finally {
    task.frontier.postMessage(
      done ?? ({ done: { ok: false, bytes: 0, sha256: '' } } satisfies FrontierMessage),
    );
    task.frontier.close();
    task.port.close();
  }
}

/** What `verifyLanding` knows of the copy: bytes sent so far and, at the end, the outcome. */
class Frontier {
  sent = 0;
  done: { ok: boolean; bytes: number; sha256: string } | null = null;
  #wake: Array<() => void> = [];

  constructor(port: MessagePort) {
    port.on('message', (m: FrontierMessage) => {
      if ('sent' in m) this.sent = m.sent;
      else this.done = m.done;
      this.#notify();
    });
    port.once('close', () => {
      this.done ??= { ok: false, bytes: 0, sha256: '' }; // the relay ended without a word: nothing to check
      this.#notify();
    });
  }

  #notify() {
    for (const wake of this.#wake.splice(0)) wake();
  }

  /** Resolves once `ready()` holds (checked at each message). */
  async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((resolve) => this.#wake.push(resolve));
  }
}

/**
 * Reads `end` into `hash`: the whole file, or bytes `range.start` to `range.end` (exclusive).
 * @returns false when the host answered anything but the full file (200) or exactly that range (206).
 */
async function readInto(
  end: RelayEndpoint,
  hash: Hash,
  signal: AbortSignal,
  range?: { start: number; end: number },
): Promise<boolean> {
  const expected = range ? range.end - range.start : undefined;
  const scan = await scanDatastoreFile({ ...end, range, signal, onData: (chunk) => void hash.update(chunk) });
  if (!scan.unsupported) {
    return scan.complete && scan.status === (range ? 206 : 200) && (expected ?? scan.bytes) === scan.bytes;
  }
  return readIntoWithHttps(end, hash, signal, range);
}

/** `readInto` through node:https, for the answers `scanDatastoreFile` does not handle (chunked encoding). */
async function readIntoWithHttps(
  end: RelayEndpoint,
  hash: Hash,
  signal: AbortSignal,
  range?: { start: number; end: number },
): Promise<boolean> {
  const req = request(end, 'GET', signal, { range });
  req.end();
  const res = await response(req);
  const expected = range ? range.end - range.start : undefined;
  const length = Number(res.headers['content-length'] ?? Number.NaN);
  if (res.statusCode !== (range ? 206 : 200) || (expected !== undefined && length !== expected)) {
    res.resume();
    return false;
  }
  const counter = meter(res, hash);
  await finished(res);
  return expected === undefined || counter.bytes === expected;
}

/** SHA-256 (hex) of the whole file at `end`, or null when it cannot be read. */
async function digestOf(end: RelayEndpoint, signal: AbortSignal): Promise<string | null> {
  const hash = createHash('sha256');
  return (await readInto(end, hash, signal)) ? hash.digest('hex') : null;
}

/**
 * Reads the destination file back while `relay` writes it (see the module doc).
 * @returns the SHA-256 (hex) of what landed; null when the copy failed (nothing to check) or the file could
 *   not be read once finished.
 */
export async function verifyLanding(task: VerifyTask): Promise<string | null> {
  const signal = abortOn(task.port);
  const frontier = new Frontier(task.frontier);
  try {
    const hash = createHash('sha256');
    let offset = 0;
    let early = false;
    for (;;) {
      await frontier.until(
        () => frontier.done !== null || frontier.sent - VERIFY_MARGIN - offset >= VERIFY_CHUNK,
      );
      const done = frontier.done;
      if (done && !done.ok) return null;
      const end = done ? done.bytes : offset + VERIFY_CHUNK;
      if (offset >= end) break;
      early ||= !done;
      if (!(await readInto(task.dest, hash, signal, { start: offset, end }))) {
        // Ranges refused, or the file not readable while written: read it whole once the copy is over.
        await frontier.until(() => frontier.done !== null);
        return frontier.done?.ok ? digestOf(task.dest, signal) : null;
      }
      offset = end;
      if (done) break;
    }
    const landed = hash.digest('hex');
    // An empty file was not read at all; an early read may have met a host that writes out of order.
    if (offset === 0 || (early && landed !== frontier.done?.sha256)) return digestOf(task.dest, signal);
    return landed;
  } finally {
    task.frontier.close();
    task.port.close();
  }
}
