/**
 * @module backup/cbt-ranges: which bytes of a disk's extent an incremental read fetches, and the fetching by
 * HTTP range. A chunk with changed areas is fetched whole when they cover most of it (or when no earlier copy
 * of it is at hand); otherwise only its changed areas are fetched (one range request each, close ones merged)
 * and laid over the chunk as the previous restore point holds it (zeros for a first read). Either way the
 * chunk stored is the whole chunk as of the snapshot, aligned: deduplication is unchanged, and the host sends
 * little more than what changed.
 */
import type { Readable } from 'node:stream';
import { msg } from '../i18n/message.js';
import { VSphereError } from '../vsphere/index.js';

/** Gaps between two changed areas of a chunk below this are fetched too (one request instead of two). */
const MERGE_GAP = 256 * 1024;
/** A chunk whose changed areas cover at least this share of it is fetched whole. */
const WHOLE_SHARE = 0.75;

/** How one chunk is fetched: whole, or only these spans `[start, end)` (disk offsets). */
export type ChunkFetch = { whole: true } | { whole: false; spans: Array<[number, number]> };

/** Opens a range of the extent, inclusive `end`; counts and abort are the caller's. */
export interface RangeSource {
  open(start: number, end: number): Promise<Readable>;
  onBytes(n: number): void;
  signal: AbortSignal;
  /** Names the file in errors. */
  name: string;
}

/**
 * Plans the fetch of every chunk that changed areas touch.
 * @param areas sorted, merged changed areas (bytes); size the extent's size; chunkSize the repository's.
 * @returns per chunk index, its fetch.
 */
export function planFetches(
  areas: Array<{ start: number; length: number }>,
  size: number,
  chunkSize: number,
): Map<number, ChunkFetch> {
  const spans = new Map<number, Array<[number, number]>>();
  for (const a of areas) {
    const end = Math.min(a.start + a.length, size);
    for (let i = Math.floor(a.start / chunkSize); i * chunkSize < end; i++) {
      const from = Math.max(a.start, i * chunkSize);
      const to = Math.min(end, (i + 1) * chunkSize);
      const list = spans.get(i) ?? [];
      const last = list.at(-1);
      if (last && from - last[1] < MERGE_GAP) last[1] = Math.max(last[1], to);
      else list.push([from, to]);
      spans.set(i, list);
    }
  }
  const out = new Map<number, ChunkFetch>();
  for (const [i, list] of spans) {
    const length = Math.min(chunkSize, size - i * chunkSize);
    const covered = list.reduce((sum, [from, to]) => sum + to - from, 0);
    out.set(i, covered >= WHOLE_SHARE * length ? { whole: true } : { whole: false, spans: list });
  }
  return out;
}

const wrongLength = (name: string, reason: string) =>
  new VSphereError('Fault', msg('vsphere.http.failed_read', { file: name, reason }));

/**
 * Bytes [start, stop) of the extent, one Buffer per chunk (the last one may be shorter).
 * @throws VSphereError (HTTP failures, a body of the wrong length), the signal's reason.
 */
export async function* fetchRun(
  source: RangeSource,
  start: number,
  stop: number,
  chunkSize: number,
): AsyncGenerator<Buffer> {
  const stream = await source.open(start, stop - 1);
  let parts: Buffer[] = [];
  let held = 0;
  let at = start;
  try {
    for await (const part of stream as AsyncIterable<Buffer>) {
      source.signal.throwIfAborted();
      source.onBytes(part.length);
      for (let off = 0; off < part.length; ) {
        const want = Math.min(chunkSize - ((at - start) % chunkSize), stop - at);
        const n = Math.min(want - held, part.length - off);
        if (n <= 0) throw wrongLength(source.name, `more than ${stop - start} bytes from ${start}`);
        parts.push(part.subarray(off, off + n));
        held += n;
        off += n;
        if (held === want) {
          yield Buffer.concat(parts, held);
          at += held;
          parts = [];
          held = 0;
        }
      }
    }
  } finally {
    stream.destroy();
  }
  if (at !== stop) throw wrongLength(source.name, `ended at ${at + held} of ${start}-${stop - 1}`);
}

/**
 * Chunk `base` (its plaintext as of the earlier restore point, or zeros) with `spans` fetched over it.
 * @param offset the chunk's disk offset. @returns `base`, changed in place.
 */
export async function fetchSpans(
  source: RangeSource,
  base: Buffer,
  offset: number,
  spans: Array<[number, number]>,
): Promise<Buffer> {
  for (const [from, to] of spans) {
    for await (const part of fetchRun(source, from, to, to - from)) part.copy(base, from - offset);
  }
  return base;
}
