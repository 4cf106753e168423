/**
 * @module backup/transfer-worker: Piscina worker that streams a datastore file to disk while hashing it
 * (`download`), or hashes a local file (`hashFile`). SHA-256 runs here, off the main event loop. Progress
 * goes back over a MessagePort; the string `'abort'` sent on that port stops the transfer cleanly.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MessagePort } from 'node:worker_threads';
import { PinnedAgent } from '../vsphere/tls.js';

/** 4 MiB: few large writes, few progress messages. */
const CHUNK = 4 * 1024 * 1024;
const PROGRESS_EVERY_MS = 200;

export interface DownloadTask {
  url: string;
  /** `vmware_soap_session=...`, or null. */
  cookie: string | null;
  /** Pinned SHA-256 certificate fingerprint for HTTPS (null: accept any, as the session's agent does). */
  thumbprint: string | null;
  dest: string;
  port: MessagePort;
}
export interface HashTask {
  file: string;
  port: MessagePort;
}
/** `status` is set (and nothing was written) when the host answered other than 200. */
export interface TransferResult {
  bytes: number;
  sha256: string;
  status?: number;
}

const agents = new Map<string, https.Agent>();
function agentFor(thumbprint: string | null): https.Agent {
  const key = thumbprint ?? '';
  let agent = agents.get(key);
  if (!agent) {
    agent = new PinnedAgent(thumbprint);
    agents.set(key, agent);
  }
  return agent;
}

/** Hashes and counts the chunks flowing through, reporting progress on `port`. */
function meter(port: MessagePort, hash: ReturnType<typeof createHash>, counter: { bytes: number }) {
  let last = 0;
  return async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      counter.bytes += chunk.length;
      const now = Date.now();
      if (now - last >= PROGRESS_EVERY_MS) {
        last = now;
        port.postMessage(counter.bytes);
      }
      yield chunk;
    }
    port.postMessage(counter.bytes);
  };
}

function abortOn(port: MessagePort): AbortController {
  const controller = new AbortController();
  port.on('message', (m) => {
    if (m === 'abort') controller.abort(new Error('aborted'));
  });
  return controller;
}

function get(task: DownloadTask, signal: AbortSignal): Promise<http.IncomingMessage> {
  const https_ = task.url.startsWith('https:');
  return new Promise((resolve, reject) => {
    const req = (https_ ? https : http).request(task.url, {
      method: 'GET',
      signal,
      ...(https_ ? { agent: agentFor(task.thumbprint) } : {}),
      headers: task.cookie ? { Cookie: task.cookie } : {},
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

/** Streams `task.url` (datastore HTTP GET) into `task.dest`, hashing it. @returns bytes and SHA-256 (hex). */
export async function download(task: DownloadTask): Promise<TransferResult> {
  const controller = abortOn(task.port);
  try {
    const res = await get(task, controller.signal);
    if (res.statusCode !== 200) {
      res.resume();
      return { bytes: 0, sha256: '', status: res.statusCode ?? 0 };
    }
    const hash = createHash('sha256');
    const counter = { bytes: 0 };
    const out = createWriteStream(task.dest, { highWaterMark: CHUNK });
    await pipeline(res as Readable, meter(task.port, hash, counter), out, { signal: controller.signal });
    return { bytes: counter.bytes, sha256: hash.digest('hex') };
  } finally {
    task.port.close();
  }
}

/** Reads and hashes a local file. @returns bytes and SHA-256 (hex). */
export async function hashFile(task: HashTask): Promise<TransferResult> {
  const controller = abortOn(task.port);
  try {
    const hash = createHash('sha256');
    const counter = { bytes: 0 };
    const input = createReadStream(task.file, { highWaterMark: CHUNK });
    await pipeline(
      input,
      meter(task.port, hash, counter),
      async (source) => {
        for await (const _ of source);
      },
      { signal: controller.signal },
    );
    return { bytes: counter.bytes, sha256: hash.digest('hex') };
  } finally {
    task.port.close();
  }
}
