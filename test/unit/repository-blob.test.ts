import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chunkDigest,
  decodeBlob,
  encodeBlob,
  FLAG_AES_GCM,
  FLAG_ZSTD,
  HEADER_BYTES,
  isZero,
} from '../../src/repository/blob.js';
import { RepositoryError } from '../../src/repository/errors.js';
import { subKeys } from '../../src/repository/keys.js';

const keys = subKeys(randomBytes(32), '7b0c4c2e-1f0a-4d4e-9b7e-2d1f6f3f0a11');
const otherKeys = subKeys(randomBytes(32), '7b0c4c2e-1f0a-4d4e-9b7e-2d1f6f3f0a11');
const text = Buffer.from('La sauvegarde de la VM est terminée. '.repeat(20_000));
const random = randomBytes(1024 * 1024 + 17);

function codeOfThrow(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RepositoryError);
    return (err as RepositoryError).code;
  }
  throw new Error('did not throw');
}

describe('chunk blobs', () => {
  it('round-trips a compressible chunk, zstd-compressed, with the header of the format', () => {
    const digest = chunkDigest(text, null);
    expect(digest).toBe(createHash('sha256').update(text).digest('hex'));
    const blob = encodeBlob(text, digest, null);
    expect(blob.subarray(0, 4).toString('latin1')).toBe('EBMC');
    expect(blob[4]).toBe(1);
    expect(blob[5]).toBe(FLAG_ZSTD);
    expect(blob.readUInt16LE(6)).toBe(0);
    expect(blob.readUInt32LE(8)).toBe(text.length);
    expect(blob.length).toBeLessThan(text.length / 10);
    expect(decodeBlob(blob, digest, null).equals(text)).toBe(true);
  });

  it('stores incompressible data as is (no zstd flag)', () => {
    const digest = chunkDigest(random, null);
    const blob = encodeBlob(random, digest, null);
    expect(blob[5]).toBe(0);
    expect(blob.length).toBe(HEADER_BYTES + random.length);
    expect(blob.subarray(HEADER_BYTES).equals(random)).toBe(true);
    expect(decodeBlob(blob, digest, null).equals(random)).toBe(true);
  });

  it('compresses a chunk that is half random, half zeros', () => {
    const mixed = Buffer.concat([randomBytes(2 * 1024 * 1024), Buffer.alloc(2 * 1024 * 1024)]);
    const digest = chunkDigest(mixed, null);
    const blob = encodeBlob(mixed, digest, null);
    expect(blob[5]).toBe(FLAG_ZSTD);
    expect(blob.length).toBeLessThan(mixed.length * 0.6);
    expect(decodeBlob(blob, digest, null).equals(mixed)).toBe(true);
  });

  it('round-trips encrypted chunks, keyed digests, no plaintext in the blob', () => {
    for (const plain of [text, random]) {
      const digest = chunkDigest(plain, keys);
      expect(digest).not.toBe(chunkDigest(plain, null));
      const blob = encodeBlob(plain, digest, keys);
      expect((blob[5] as number) & FLAG_AES_GCM).toBe(FLAG_AES_GCM);
      expect(blob.includes(plain.subarray(1000, 1064))).toBe(false);
      expect(decodeBlob(blob, digest, keys).equals(plain)).toBe(true);
    }
  });

  it('refuses a tampered byte anywhere as chunk_corrupt', () => {
    for (const k of [null, keys]) {
      for (const plain of [text, random]) {
        const digest = chunkDigest(plain, k);
        const blob = encodeBlob(plain, digest, k);
        for (const at of [3, 5, 9, HEADER_BYTES + 3, blob.length - 1]) {
          const bad = Buffer.from(blob);
          bad[at] = (bad[at] as number) ^ 0x01;
          expect(codeOfThrow(() => decodeBlob(bad, digest, k))).toBe('chunk_corrupt');
        }
      }
    }
  });

  it('refuses a blob under another digest, with the wrong key or without the key', () => {
    const digest = chunkDigest(text, keys);
    const blob = encodeBlob(text, digest, keys);
    expect(codeOfThrow(() => decodeBlob(blob, digest, otherKeys))).toBe('chunk_corrupt');
    expect(codeOfThrow(() => decodeBlob(blob, digest, null))).toBe('chunk_corrupt');
    expect(codeOfThrow(() => decodeBlob(blob, chunkDigest(random, keys), keys))).toBe('chunk_corrupt');
    const plainBlob = encodeBlob(text, chunkDigest(text, null), null);
    expect(codeOfThrow(() => decodeBlob(plainBlob, chunkDigest(text, null), keys))).toBe('chunk_corrupt');
    expect(codeOfThrow(() => decodeBlob(Buffer.alloc(5), digest, null))).toBe('chunk_corrupt');
  });

  it('names the chunk file in the message', () => {
    const digest = chunkDigest(text, null);
    try {
      decodeBlob(Buffer.alloc(20), digest, null);
    } catch (err) {
      expect((err as RepositoryError).detail.params).toEqual({
        digest,
        file: `.chunks/${digest.slice(0, 4)}/${digest}`,
      });
    }
  });

  it('tells all-zero data from data with one non-zero byte', () => {
    const zeros = Buffer.alloc(1024 * 1024);
    expect(isZero(Buffer.alloc(4 * 1024 * 1024 + 5), zeros)).toBe(true);
    const almost = Buffer.alloc(4 * 1024 * 1024 + 5);
    almost[almost.length - 1] = 1;
    expect(isZero(almost, zeros)).toBe(false);
    expect(isZero(Buffer.alloc(0), zeros)).toBe(true);
  });
});
