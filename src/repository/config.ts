/**
 * @module repository/config: `P/repository.json`, the file that makes a directory a repository (format
 * `ebm-repository`, version 1: id, chunk size, compression, encryption parameters), and opening a
 * repository with its keys. See the README, "Repository format".
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { RepositoryError } from './errors.js';
import { putFile } from './files.js';
import { CHUNKS_DIR, CONFIG_FILE, DEFAULT_CHUNK_SIZE, INDEXES_DIR, TMP_DIR } from './format.js';
import {
  deriveMaster,
  type KdfParams,
  keyCheck,
  keysMatch,
  newKdf,
  type RepositoryKeys,
  subKeys,
} from './keys.js';

/** repository.json `encryption` when the repository is encrypted. */
export interface EncryptionConfig {
  cipher: 'aes-256-gcm';
  kdf: KdfParams;
  /** Hex HMAC-SHA256(id_key, 'ebm-repository key check'). */
  key_check: string;
}

/** repository.json. */
export interface RepositoryConfig {
  format: 'ebm-repository';
  version: 1;
  /** uuid v4; salts the sub-keys. */
  id: string;
  /** ISO 8601. */
  created_at: string;
  /** Bytes per chunk (4194304). */
  chunk_size: number;
  compression: 'zstd';
  encryption: EncryptionConfig | null;
}

/** An open repository: its directory, config and (encrypted) keys. */
export interface Repository {
  /** Absolute directory P. */
  dir: string;
  config: RepositoryConfig;
  encrypted: boolean;
  keys: RepositoryKeys | null;
}

const isInt = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;

/** Why a parsed config is not one we can use, or null. */
function configProblem(c: Partial<RepositoryConfig>): string | null {
  if (c.format !== 'ebm-repository') return 'format is not ebm-repository';
  if (c.version !== 1) return `unsupported version ${String(c.version)}`;
  if (typeof c.id !== 'string' || !c.id) return 'no id';
  if (!isInt(c.chunk_size, 1) || (c.chunk_size as number) > 64 * 1024 * 1024) return 'bad chunk_size';
  if (c.compression !== 'zstd') return 'unknown compression';
  const e = c.encryption;
  if (e === null) return null;
  if (typeof e !== 'object' || e === undefined || e.cipher !== 'aes-256-gcm') return 'unknown cipher';
  const k = e.kdf;
  if (
    k?.name !== 'scrypt' ||
    typeof k.salt !== 'string' ||
    !isInt(k.N, 2) ||
    !isInt(k.r, 1) ||
    !isInt(k.p, 1)
  )
    return 'bad kdf';
  if (k.key_length !== 32 || !/^[0-9a-f]{64}$/.test(e.key_check ?? '')) return 'bad key_check';
  return null;
}

/**
 * Reads and checks `dir/repository.json`.
 * @throws RepositoryError `repository_not_found` (no such file), `repository_bad_config` (unreadable,
 *   not JSON, or a format/version/parameter we do not support).
 */
export async function readConfig(dir: string): Promise<RepositoryConfig> {
  let text: string;
  try {
    text = await readFile(path.join(dir, CONFIG_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RepositoryError('repository_not_found', { dir });
    throw new RepositoryError('repository_bad_config', { dir, detail: code ?? String(err) }, undefined, {
      cause: err,
    });
  }
  let config: Partial<RepositoryConfig>;
  try {
    config = JSON.parse(text) as Partial<RepositoryConfig>;
  } catch {
    throw new RepositoryError('repository_bad_config', { dir, detail: 'not JSON' });
  }
  const problem = config && typeof config === 'object' ? configProblem(config) : 'not an object';
  if (problem) throw new RepositoryError('repository_bad_config', { dir, detail: problem });
  return config as RepositoryConfig;
}

/**
 * Makes `dir` a repository: writes repository.json once (exclusive, fsync'd) and creates `.chunks`,
 * `.indexes`, `.tmp`. With a passphrase the repository is encrypted (scrypt + HKDF, see keys.ts).
 * @returns the open repository (with its keys: offer `keys.master` as hex for safekeeping).
 * @throws RepositoryError `repository_exists` when `dir` already holds a repository.json (never replaced);
 *   fs errors.
 */
export async function initRepository(dir: string, opts: { passphrase?: string } = {}): Promise<Repository> {
  const id = randomUUID();
  let keys: RepositoryKeys | null = null;
  let encryption: EncryptionConfig | null = null;
  if (opts.passphrase !== undefined) {
    const kdf = newKdf();
    keys = subKeys(await deriveMaster(opts.passphrase, kdf), id);
    encryption = { cipher: 'aes-256-gcm', kdf, key_check: keyCheck(keys.id) };
  }
  const config: RepositoryConfig = {
    format: 'ebm-repository',
    version: 1,
    id,
    created_at: new Date().toISOString(),
    chunk_size: DEFAULT_CHUNK_SIZE,
    compression: 'zstd',
    encryption,
  };
  const abs = path.resolve(dir);
  for (const sub of [TMP_DIR, CHUNKS_DIR, INDEXES_DIR]) await mkdir(path.join(abs, sub), { recursive: true });
  const text = Buffer.from(`${JSON.stringify(config, null, 2)}\n`);
  await putFile(abs, path.join(abs, CONFIG_FILE), [text], { exclusive: true }).catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new RepositoryError('repository_exists', { dir });
    throw err;
  });
  return { dir: abs, config, encrypted: keys !== null, keys };
}

/**
 * Opens the repository in `dir`. An encrypted one needs its passphrase or its master key (32 bytes, as
 * kept sealed by the app or given by `--key-file`); either is checked against `key_check`.
 * @throws RepositoryError `repository_not_found`, `repository_bad_config`, `repository_passphrase_required`,
 *   `repository_wrong_passphrase` (never a repository that would decode garbage).
 */
export async function openRepository(
  dir: string,
  opts: { passphrase?: string; masterKey?: Buffer } = {},
): Promise<Repository> {
  const abs = path.resolve(dir);
  const config = await readConfig(abs);
  const enc = config.encryption;
  if (!enc) return { dir: abs, config, encrypted: false, keys: null };
  let master: Buffer;
  if (opts.masterKey) {
    if (opts.masterKey.length !== enc.kdf.key_length)
      throw new RepositoryError('repository_wrong_passphrase', { dir });
    master = Buffer.from(opts.masterKey);
  } else if (opts.passphrase !== undefined) {
    master = await deriveMaster(opts.passphrase, enc.kdf).catch((err) => {
      throw new RepositoryError(
        'repository_bad_config',
        { dir, detail: 'scrypt refused its parameters' },
        undefined,
        {
          cause: err,
        },
      );
    });
  } else {
    throw new RepositoryError('repository_passphrase_required', { dir });
  }
  const keys = subKeys(master, config.id);
  if (!keysMatch(keys, enc.key_check)) throw new RepositoryError('repository_wrong_passphrase', { dir });
  return { dir: abs, config, encrypted: true, keys };
}
