/**
 * @module bench/support/mixed-disk: the content of the repository benchmark's disk, made so that compression
 * and zero detection matter: 1 MiB extents whose kind a seeded generator draws, half random bytes (new for
 * each extent, incompressible), a quarter text (words of a 2048-word vocabulary, unique per extent) and a
 * quarter zeros. A 4 MiB chunk thus usually mixes kinds, as a used guest file system does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

export const MiB = 1024 * 1024;
export const EXTENT_BYTES = MiB;
/** How the disk is made, for the benchmark's output. */
export const MIX = '1 MiB extents in seeded random order: 50 % random bytes, 25 % text (words), 25 % zeros';

export type ExtentKind = 'random' | 'text' | 'zero';

/** mulberry32: a small seeded generator of uint32 values. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const SYLLABLES = [
  'ka',
  'to',
  're',
  'mi',
  'su',
  'an',
  'el',
  'or',
  'in',
  'de',
  'la',
  'po',
  'ni',
  've',
  'sta',
  'ro',
];
/** 2048 words of 2 to 4 syllables, the same in every run. */
const WORDS: Buffer[] = (() => {
  const next = prng(2048);
  return Array.from({ length: 2048 }, () => {
    let word = '';
    for (let n = 2 + (next() % 3); n > 0; n--) word += SYLLABLES[next() % SYLLABLES.length];
    return Buffer.from(word, 'latin1');
  });
})();
const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Fills `out` with words separated by spaces, a line break about every 12 words. */
function fillText(out: Buffer, next: () => number): void {
  let at = 0;
  while (at < out.length) {
    const word = WORDS[next() & 2047] as Buffer;
    const n = Math.min(word.length, out.length - at);
    out.set(n === word.length ? word : word.subarray(0, n), at);
    at += n;
    if (at < out.length) out[at++] = next() % 12 === 0 ? NEWLINE : SPACE;
  }
}

/** The kind of the next extent: 2 in 4 random, 1 in 4 text, 1 in 4 zeros. */
export function nextKind(next: () => number): ExtentKind {
  const r = next() & 3;
  return r < 2 ? 'random' : r === 2 ? 'text' : 'zero';
}

/** One extent (or the tail of one) of `bytes` bytes of that kind. */
export function extent(kind: ExtentKind, bytes: number, next: () => number): Buffer {
  if (kind === 'random') return randomBytes(bytes);
  const out = Buffer.alloc(bytes);
  if (kind === 'text') fillText(out, next);
  return out;
}

/**
 * Mixed content of `bytes` bytes, extent by extent (each yielded Buffer is new, at most EXTENT_BYTES).
 * @param seed draws the kinds and the words (random extents are fresh random bytes whatever the seed).
 */
export function* mixedPieces(bytes: number, seed: number): Generator<Buffer> {
  const next = prng(seed);
  for (let left = bytes; left > 0; left -= EXTENT_BYTES) {
    yield extent(nextKind(next), Math.min(EXTENT_BYTES, left), next);
  }
}

/**
 * Writes a mixed disk of `bytes` bytes to `file` (created or truncated).
 * @returns the hex SHA-256 of what was written.
 */
export async function writeMixedDisk(file: string, bytes: number, seed: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'w');
  try {
    for (const piece of mixedPieces(bytes, seed)) {
      hash.update(piece);
      await handle.write(piece);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * Rewrites `fraction` of `file` (`size` bytes) in place with fresh mixed content, as a guest writing between
 * two backups: whole `chunkBytes`-aligned pieces at random distinct places, the last one shorter (starting
 * at a chunk boundary too).
 * @returns the indexes of the chunks touched and the bytes rewritten.
 */
export async function rewriteFraction(
  file: string,
  size: number,
  fraction: number,
  chunkBytes: number,
  seed: number,
): Promise<{ chunks: number[]; bytes: number }> {
  const next = prng(seed);
  const total = Math.round(size * fraction);
  const count = Math.ceil(size / chunkBytes);
  const chunks: number[] = [];
  const handle = await open(file, 'r+');
  try {
    for (let left = total; left > 0 && chunks.length < count; ) {
      const chunk = next() % count;
      if (chunks.includes(chunk)) continue;
      chunks.push(chunk);
      const bytes = Math.min(left, chunkBytes, size - chunk * chunkBytes);
      let at = chunk * chunkBytes;
      for (const piece of mixedPieces(bytes, next())) {
        await handle.write(piece, 0, piece.length, at);
        at += piece.length;
      }
      left -= bytes;
    }
  } finally {
    await handle.close();
  }
  return { chunks, bytes: total };
}

/** Up to `max` chunks of `chunkBytes` of a disk file of `size` bytes, evenly spread (as chunk workers get them). */
export function readChunks(file: string, size: number, chunkBytes: number, max: number): Buffer[] {
  const count = Math.ceil(size / chunkBytes);
  const take = Math.min(max, count);
  const fd = openSync(file, 'r');
  try {
    return Array.from({ length: take }, (_, i) => {
      const at = Math.floor((i * count) / take) * chunkBytes;
      const out = Buffer.alloc(Math.min(chunkBytes, size - at));
      readSync(fd, out, 0, out.length, at);
      return out;
    });
  } finally {
    closeSync(fd);
  }
}
