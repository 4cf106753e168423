/**
 * @module backup/transfer-worker: Piscina worker that reads and hashes a local file (`hashFile`), off the
 * main event loop: what verifying a legacy directory backup needs. Progress goes back over a MessagePort;
 * the string `'abort'` sent on that port stops the read cleanly.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { MessagePort } from 'node:worker_threads';

/** 4 MiB: few large reads, few progress messages. */
const CHUNK = 4 * 1024 * 1024;
const PROGRESS_EVERY_MS = 200;

export interface HashTask {
  file: string;
  port: MessagePort;
}
export interface TransferResult {
  bytes: number;
  sha256: string;
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

/**
 * Reads and hashes a local file.
 * @returns bytes and SHA-256 (hex). @throws fs errors (ENOENT...); Error `aborted` on `'abort'`.
 */
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
