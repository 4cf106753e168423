/**
 * @module repository/blob: a chunk's digest and its blob (the chunk file), format version 1. All integers
 * little-endian:
 *
 *     0  4  magic "EBMC"          5  1  flags: bit 0 zstd, bit 1 AES-256-GCM
 *     4  1  version = 1           6  2  reserved = 0          8  4  uint32 plaintext length
 *     [encrypted] 12 bytes IV, 16 bytes GCM tag;  then the payload.
 *
 * The payload is the chunk, zstd-compressed (level 1: ratio within 1 % of level 3's on VM disks, 1.4x
 * faster) when that saves at least 1/16 of it (tried only when a sample of the chunk compresses), then sealed
 * with enc_key (AAD = the 64-hex digest as ASCII) in an encrypted repository. Pure CPU work (runs in the
 * chunk workers).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  type Hash,
  type Hmac,
  randomBytes,
} from 'node:crypto';
import zlib from 'node:zlib';
import { RepositoryError } from './errors.js';
import { chunkName } from './format.js';

/** The keys blob and digest functions need (a RepositoryKeys fits). */
export interface ChunkKeys {
  enc: Buffer;
  id: Buffer;
}

export const MAGIC = Buffer.from('EBMC', 'latin1');
export const HEADER_BYTES = 12;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const FLAG_ZSTD = 1;
export const FLAG_AES_GCM = 2;
/** The writer's zstd level; readers decode any level. */
export const ZSTD_LEVEL = 1;

/** Hex digest of a plaintext chunk: SHA-256, or HMAC-SHA256(id_key) when `keys` is given. */
export function chunkDigest(plain: Buffer, keys: ChunkKeys | null): string {
  return (keys ? createHmac('sha256', keys.id) : createHash('sha256')).update(plain).digest('hex');
}

/** A running whole-file digest (`files[].sha256`): SHA-256, or HMAC-SHA256(id_key) when `idKey` is given. */
export function fileHash(idKey: Uint8Array | null): Hash | Hmac {
  return idKey ? createHmac('sha256', idKey) : createHash('sha256');
}

/**
 * Digest of a file's chunk list (`chunks_sha256` of a file made incrementally): SHA-256, or HMAC-SHA256(id_key)
 * when `keys` is given, of the ASCII text made of each entry (its 64-hex digest, `-` for an all-zero piece),
 * each followed by a line feed. With every chunk checked against its digest when read, it covers the file.
 */
export function chunkListDigest(chunks: ReadonlyArray<string | null>, keys: ChunkKeys | null): string {
  return chunkDigest(Buffer.from(chunks.map((c) => `${c ?? '-'}\n`).join(''), 'latin1'), keys);
}

/**
 * The writer's zstd options for `length` bytes: ZSTD_LEVEL, the size pledged, and one output buffer of the
 * input's length (zlib's default grows and joins 64 KiB pieces: twice the garbage, half the speed).
 */
export const zstdOptions = (length: number) => ({
  params: { [zlib.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL },
  pledgedSrcSize: length,
  chunkSize: Math.max(length, 64),
});

const SAMPLE_PIECES = 8;
const SAMPLE_PIECE_BYTES = 8 * 1024;

/**
 * Whether a chunk looks worth compressing: 8 pieces of 8 KiB spread over it, compressed together, save at
 * least 1/32. About 3 % of the cost of compressing a 4 MiB chunk; chunks under 256 KiB are always tried.
 */
export function looksCompressible(plain: Buffer): boolean {
  if (plain.length < 32 * SAMPLE_PIECE_BYTES) return true;
  const sample = Buffer.allocUnsafe(SAMPLE_PIECES * SAMPLE_PIECE_BYTES);
  const step = Math.floor((plain.length - SAMPLE_PIECE_BYTES) / (SAMPLE_PIECES - 1));
  for (let i = 0; i < SAMPLE_PIECES; i++)
    plain.copy(sample, i * SAMPLE_PIECE_BYTES, i * step, i * step + SAMPLE_PIECE_BYTES);
  const packed = zlib.zstdCompressSync(sample, zstdOptions(sample.length));
  return packed.length <= sample.length - (sample.length >>> 5);
}

/**
 * The blob of `plain` as parts to write in order (header [+ IV + tag], payload), without copying the
 * payload into one buffer. Compressed when a sample looks compressible (looksCompressible) and the
 * whole chunk then shrinks by at least 1/16.
 */
export function encodeBlobParts(plain: Buffer, digestHex: string, keys: ChunkKeys | null): Buffer[] {
  const zstd = looksCompressible(plain) ? zlib.zstdCompressSync(plain, zstdOptions(plain.length)) : null;
  const compressed = zstd !== null && zstd.length <= plain.length - (plain.length >>> 4);
  let payload = compressed ? (zstd as Buffer) : plain;
  const header = Buffer.alloc(HEADER_BYTES + (keys ? IV_BYTES + TAG_BYTES : 0));
  MAGIC.copy(header, 0);
  header[4] = 1;
  header[5] = (compressed ? FLAG_ZSTD : 0) | (keys ? FLAG_AES_GCM : 0);
  header.writeUInt32LE(plain.length, 8);
  if (keys) {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', keys.enc, iv);
    cipher.setAAD(Buffer.from(digestHex, 'latin1'));
    const sealed = cipher.update(payload);
    const rest = cipher.final();
    payload = rest.length ? Buffer.concat([sealed, rest]) : sealed;
    iv.copy(header, HEADER_BYTES);
    cipher.getAuthTag().copy(header, HEADER_BYTES + IV_BYTES);
  }
  return [header, payload];
}

/** The blob (chunk file bytes) of plaintext chunk `plain` whose digest is `digestHex`. */
export function encodeBlob(plain: Buffer, digestHex: string, keys: ChunkKeys | null): Buffer {
  return Buffer.concat(encodeBlobParts(plain, digestHex, keys));
}

/**
 * The plaintext of a blob, checked: header, GCM tag, zstd frame, length and digest.
 * @param keys the repository's keys (null for a plain repository): a blob sealed with other keys fails.
 * @throws RepositoryError `chunk_corrupt` { digest, file: `.chunks/xxxx/<digest>` } on any mismatch.
 */
export function decodeBlob(blob: Buffer, digestHex: string, keys: ChunkKeys | null): Buffer {
  const corrupt = (reason: string, cause?: unknown) =>
    new RepositoryError('chunk_corrupt', { digest: digestHex, file: chunkName(digestHex) }, reason, {
      cause,
    });
  if (blob.length < HEADER_BYTES || !blob.subarray(0, 4).equals(MAGIC)) throw corrupt('bad magic');
  const flags = blob[5] as number;
  if (blob[4] !== 1 || blob.readUInt16LE(6) !== 0 || (flags & ~(FLAG_ZSTD | FLAG_AES_GCM)) !== 0)
    throw corrupt('unknown version or flags');
  const length = blob.readUInt32LE(8);
  if (Boolean(flags & FLAG_AES_GCM) !== (keys !== null)) throw corrupt('encryption flag does not match');
  let payload = blob.subarray(keys ? HEADER_BYTES + IV_BYTES + TAG_BYTES : HEADER_BYTES);
  if (keys) {
    if (blob.length < HEADER_BYTES + IV_BYTES + TAG_BYTES) throw corrupt('truncated');
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        keys.enc,
        blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES),
      );
      decipher.setAAD(Buffer.from(digestHex, 'latin1'));
      decipher.setAuthTag(blob.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES));
      const opened = decipher.update(payload);
      const rest = decipher.final();
      payload = rest.length ? Buffer.concat([opened, rest]) : opened;
    } catch (err) {
      throw corrupt('GCM authentication failed', err);
    }
  }
  let plain = payload;
  if (flags & FLAG_ZSTD) {
    try {
      // One output buffer of the announced length (zlib's default grows and joins 64 KiB pieces; its
      // smallest chunkSize is 64).
      const options = { maxOutputLength: Math.max(length, 1), chunkSize: Math.max(length, 64) };
      plain = zlib.zstdDecompressSync(payload, options);
    } catch (err) {
      throw corrupt('bad zstd frame', err);
    }
  }
  if (plain.length !== length) throw corrupt(`length ${plain.length} instead of ${length}`);
  if (chunkDigest(plain, keys) !== digestHex) throw corrupt('digest mismatch');
  return plain;
}

/** Whether `buf` is all zeros (compared with a preallocated zero buffer; memcmp speed). */
export function isZero(buf: Buffer, zeros: Buffer): boolean {
  for (let at = 0; at < buf.length; at += zeros.length) {
    const piece = buf.subarray(at, at + zeros.length);
    if (!piece.equals(zeros.subarray(0, piece.length))) return false;
  }
  return true;
}
