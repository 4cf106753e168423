/**
 * @module db-backup/worker: Piscina worker doing the heavy part of a database backup off the main event loop
 * (seed 004 "Threading: l'interface reste réactive"): the dump, gzip and SHA-256 in one streaming pass
 * (`dumpServer` runs the real pg_dump; `dumpPglite` runs pglite-tools' pg_dump on a private copy of the
 * embedded database), and the integrity check (`verify`) that re-reads a finished file. Progress goes back
 * over a MessagePort (`{ raw }` bytes of SQL so far, `{ table }` being dumped); `'abort'` on it stops the run.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MessagePort } from 'node:worker_threads';
import { createGunzip, createGzip } from 'node:zlib';

const CHUNK = 1024 * 1024;
const PROGRESS_EVERY_MS = 200;
const VERBOSE_TABLE = /dumping contents of table "(.+)"/;
/** How the message of pg_dump's own failure begins (db-backup/pool turns it into a DbBackupError). */
export const PG_DUMP_FAILED = 'pg_dump failed: ';

export interface DumpResult {
  /** Size of the compressed file and its SHA-256 (hex). */
  bytes: number;
  sha256: string;
  /** Bytes of SQL before compression. */
  raw_bytes: number;
}

function abortOn(port: MessagePort): AbortController {
  const controller = new AbortController();
  port.on('message', (m) => {
    if (m === 'abort') controller.abort(new Error('aborted'));
  });
  return controller;
}

/** Counts the SQL flowing through and reports it on `port` at most every 200 ms. */
function rawMeter(port: MessagePort, counter: { raw: number }) {
  let last = 0;
  return async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      counter.raw += chunk.length;
      if (Date.now() - last >= PROGRESS_EVERY_MS) {
        last = Date.now();
        port.postMessage({ raw: counter.raw });
      }
      yield chunk;
    }
    port.postMessage({ raw: counter.raw });
  };
}

/** Hashes and counts the compressed bytes on their way to the file. */
function hashing(hash: ReturnType<typeof createHash>, counter: { bytes: number }) {
  return async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      counter.bytes += chunk.length;
      yield chunk;
    }
  };
}

/** SQL source -> count -> gzip -> SHA-256 -> `dest` (created, never overwritten). */
async function compressTo(source: Readable, dest: string, port: MessagePort, signal: AbortSignal) {
  const hash = createHash('sha256');
  const counter = { raw: 0, bytes: 0 };
  const out: Writable = createWriteStream(dest, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK });
  const gzip = createGzip({ chunkSize: 256 * 1024 });
  await pipeline(source, rawMeter(port, counter), gzip, hashing(hash, counter), out, { signal });
  return { bytes: counter.bytes, sha256: hash.digest('hex'), raw_bytes: counter.raw };
}

/** Runs pg_dump (`env`: libpq variables) and streams its plain SQL into `dest`, gzipped and hashed. */
export async function dumpServer(task: {
  pgDump: string;
  env: Record<string, string>;
  dest: string;
  port: MessagePort;
}): Promise<DumpResult> {
  const controller = abortOn(task.port);
  const args = ['--format=plain', '--no-owner', '--no-privileges', '--verbose'];
  const child = spawn(task.pgDump, args, {
    env: { ...process.env, ...task.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  let pending = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const table = VERBOSE_TABLE.exec(line);
      if (table) task.port.postMessage({ table: table[1] });
      else if (!/^pg_dump: (?!error|warning|detail|hint)/.test(line) && line.trim()) errors.push(line);
    }
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  try {
    const result = await compressTo(child.stdout, task.dest, task.port, controller.signal);
    const code = await exited;
    if (code !== 0) throw new Error(pgDumpError(errors, code));
    return result;
  } catch (err) {
    child.kill('SIGKILL');
    const code = await exited.catch(() => null);
    if (code !== 0 && code !== null && errors.length) throw new Error(pgDumpError(errors, code));
    throw err;
  } finally {
    task.port.close();
  }
}

function pgDumpError(lines: string[], code: number | null): string {
  const first = lines.find((l) => /error/.test(l)) ?? lines[0] ?? `exit code ${code}`;
  return `${PG_DUMP_FAILED}${first.replace(/^pg_dump: error: /, '').trim()}`;
}

/**
 * Dumps a copy of the embedded database: opens `tar` (PGlite's `dumpDataDir`) as a private in-memory
 * PGlite, runs pglite-tools' pg_dump on it, and streams the SQL into `dest`, gzipped and hashed.
 */
export async function dumpPglite(task: { tar: Uint8Array; dest: string; port: MessagePort }) {
  const controller = abortOn(task.port);
  const { PGlite } = await import('@electric-sql/pglite');
  const { pgDump } = await import('@electric-sql/pglite-tools/pg_dump');
  const pg = await PGlite.create({ loadDataDir: new Blob([task.tar as Uint8Array<ArrayBuffer>]) });
  try {
    controller.signal.throwIfAborted();
    task.port.postMessage({ table: '*' });
    const file = await pgDump({ pg, args: ['--no-owner', '--no-privileges'] });
    const sql = Readable.from(Buffer.from(await file.arrayBuffer()), { objectMode: false });
    return await compressTo(sql, task.dest, task.port, controller.signal);
  } finally {
    await pg.close().catch(() => {});
    task.port.close();
  }
}

/** Re-reads a finished backup: SHA-256 and size of the file, and the size of its SQL once decompressed. */
export async function verify(task: { file: string; port: MessagePort }): Promise<DumpResult> {
  const controller = abortOn(task.port);
  try {
    const hash = createHash('sha256');
    const counter = { raw: 0, bytes: 0 };
    const sink = async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) counter.raw += chunk.length;
    };
    await pipeline(
      createReadStream(task.file, { highWaterMark: CHUNK }),
      hashing(hash, counter),
      createGunzip({ chunkSize: 256 * 1024 }),
      sink,
      { signal: controller.signal },
    );
    return { bytes: counter.bytes, sha256: hash.digest('hex'), raw_bytes: counter.raw };
  } finally {
    task.port.close();
  }
}
