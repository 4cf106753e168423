/**
 * @module backup/upload-worker: Piscina worker that uploads one datastore file (HTTP PUT with its
 * Content-Length) from chunk slots, so that the TLS writes and their garbage do not load the main thread.
 * The main thread posts filled slots on the task's `slots` port (`{ slot, length }`, in file order), then
 * `'end'` once the file is checked; each slot is posted back as `{ done }` once written to the socket, to
 * be reused. The string `'abort'` on `port` stops the upload. Called through backup/upload-pool.ts only.
 */
import http from 'node:http';
import https from 'node:https';
import type { MessagePort } from 'node:worker_threads';
import { PinnedAgent } from '../vsphere/tls.js';

export interface UploadTask {
  /** Datastore file URL, session cookie, pinned certificate fingerprint (HTTPS). */
  url: string;
  cookie: string | null;
  thumbprint: string | null;
  /** The file's bytes (Content-Length). */
  size: number;
  /** Filled slots and `'end'` come in here; `{ done: slot }` goes out for each slot written. */
  slots: MessagePort;
  /** Receives `'abort'`. */
  port: MessagePort;
}

/** What the main thread posts on `slots`. */
export type UploadMessage = { slot: SharedArrayBuffer; length: number } | 'end';

const agents = new Map<string, http.Agent>();
/** One keep-alive agent per protocol and pinned certificate, for the thread's life. */
function agentFor(url: string, thumbprint: string | null): http.Agent {
  const key = url.startsWith('https:') ? `s${thumbprint ?? ''}` : 'h';
  let agent = agents.get(key);
  if (!agent) {
    agent = key === 'h' ? new http.Agent({ keepAlive: true }) : new PinnedAgent(thumbprint);
    agents.set(key, agent);
  }
  return agent;
}

/**
 * Uploads the file from the slots it is sent (see the module doc).
 * @returns the host's HTTP status (the caller judges it; the host may answer before the end, refusing).
 * @throws socket errors, `CertificateMismatch`; Error `aborted` on `'abort'`.
 */
export async function uploadSlots(task: UploadTask): Promise<number> {
  const controller = new AbortController();
  task.port.on('message', (m) => {
    if (m === 'abort') controller.abort(new Error('aborted'));
  });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/octet-stream',
    'Content-Length': task.size,
  };
  if (task.cookie) headers.Cookie = task.cookie;
  const lib = task.url.startsWith('https:') ? https : http;
  const agent = agentFor(task.url, task.thumbprint);
  const req = lib.request(task.url, { method: 'PUT', agent, headers, signal: controller.signal });
  task.slots.on('message', (m: UploadMessage) => {
    if (m === 'end') req.end();
    else req.write(Buffer.from(m.slot, 0, m.length), () => task.slots.postMessage({ done: m.slot }));
  });
  try {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
    res.resume();
    return res.statusCode ?? 0;
  } finally {
    task.slots.close();
    task.port.close();
  }
}
