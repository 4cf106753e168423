/**
 * @module repository/keys: the keys of an encrypted repository. The master key comes from the passphrase
 * through scrypt (parameters in repository.json); two sub-keys come from it through HKDF-SHA256, salted
 * with the repository id: `enc` seals chunks (AES-256-GCM), `id` keys the chunk digests (HMAC-SHA256) so
 * that a digest reveals nothing about the data. `key_check` lets a wrong passphrase be refused up front.
 */
import { createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** repository.json `encryption.kdf`. */
export interface KdfParams {
  name: 'scrypt';
  /** Base64 salt. */
  salt: string;
  N: number;
  r: number;
  p: number;
  /** Bytes of the master key: 32. */
  key_length: number;
}

/** The keys of an open encrypted repository (each 32 bytes). */
export interface RepositoryKeys {
  /** AES-256-GCM key for chunk payloads. */
  enc: Buffer;
  /** HMAC-SHA256 key for chunk and whole-file digests. */
  id: Buffer;
  /** scrypt(passphrase): what the app keeps sealed, and what `--key-file` holds (hex). */
  master: Buffer;
}

export const KEY_CHECK_TEXT = 'ebm-repository key check';
const ENC_INFO = 'ebm chunk encryption';
const ID_INFO = 'ebm chunk id';

/** Fresh KDF parameters for a new repository: scrypt N=65536, r=8, p=1, 32-byte key, 32-byte random salt. */
export function newKdf(): KdfParams {
  return { name: 'scrypt', salt: randomBytes(32).toString('base64'), N: 65536, r: 8, p: 1, key_length: 32 };
}

/**
 * The master key: scrypt(passphrase as UTF-8, base64-decoded salt, N, r, p, key_length).
 * Runs on libuv's thread pool (about 0.2 s and 64 MiB for the default parameters).
 * @throws Error for parameters scrypt refuses (the caller reports them as a bad config).
 */
export function deriveMaster(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  const maxmem = 256 * kdf.N * kdf.r * kdf.p + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(passphrase, 'utf8'),
      Buffer.from(kdf.salt, 'base64'),
      kdf.key_length,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

const hkdf = (master: Buffer, repoId: string, info: string) =>
  Buffer.from(hkdfSync('sha256', master, Buffer.from(repoId, 'utf8'), info, 32));

/**
 * The sub-keys of `master` for repository `repoId` (its uuid, as UTF-8 text):
 * `enc = HKDF-SHA256(master, salt = id, info = 'ebm chunk encryption', 32)`,
 * `id = HKDF-SHA256(master, salt = id, info = 'ebm chunk id', 32)`.
 */
export function subKeys(master: Buffer, repoId: string): RepositoryKeys {
  return { enc: hkdf(master, repoId, ENC_INFO), id: hkdf(master, repoId, ID_INFO), master };
}

/** `key_check`: hex HMAC-SHA256(idKey, 'ebm-repository key check'). */
export function keyCheck(idKey: Buffer): string {
  return createHmac('sha256', idKey).update(KEY_CHECK_TEXT, 'utf8').digest('hex');
}

/** Whether `keys` match a config's `key_check` (constant time). */
export function keysMatch(keys: RepositoryKeys, expectedCheck: string): boolean {
  const actual = Buffer.from(keyCheck(keys.id), 'hex');
  const expected = Buffer.from(expectedCheck, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
