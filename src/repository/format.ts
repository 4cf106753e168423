/**
 * @module repository/format: the repository's on-disk layout, version 1 (README "Repository format"): where
 * the config, the chunks, the indexes and the temporary files live, and the shape of an index file.
 * Pure: paths and types only.
 */
import path from 'node:path';

/** `P/repository.json`: the file that makes a directory a repository. */
export const CONFIG_FILE = 'repository.json';
/** `P/.chunks/<first 4 hex>/<64-hex digest>`: one chunk blob per file. */
export const CHUNKS_DIR = '.chunks';
/** `P/.indexes/<vm segment>/<stamp>-job<id>.json`: one index per restore point (see indexPath). */
export const INDEXES_DIR = '.indexes';
/** `P/.tmp/<random>.tmp`: files being written; never read, garbage collection removes old ones. */
export const TMP_DIR = '.tmp';
/** Default chunk size: 4 MiB (bytes). */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** A 64-hex lowercase SHA-256 / HMAC-SHA256 digest. */
export const DIGEST_RE = /^[0-9a-f]{64}$/;

/** One file of a restore point, as its index names it. */
export interface IndexFile {
  /** File name inside the restore point, e.g. `disk1-flat.vmdk`. */
  name: string;
  /** Size in bytes. */
  size: number;
  /**
   * Hex SHA-256 of the whole plaintext file (HMAC-SHA256 with id_key in an encrypted repository); null for a
   * file made incrementally (some chunks taken from an earlier restore point, unread): `chunks_sha256` then.
   */
  sha256: string | null;
  /** A file made incrementally: the digest of its chunk list (blob.ts `chunkListDigest`). */
  chunks_sha256?: string;
  /** One digest per chunk_size piece, in file order; null for an all-zero piece (never stored). */
  chunks: Array<string | null>;
}

/**
 * A virtual disk of the VM at the backup's snapshot. The fields after `file_name` are those of changed block
 * tracking (absent in restore points made before it): the next backup reads only what changed since
 * `change_id` when the disk is still this one (same `uuid` and capacity).
 */
export interface IndexDisk {
  label: string;
  capacity_bytes: number;
  /** Datastore path of the disk's descriptor at the snapshot (`[ds] vm/disk1.vmdk`). */
  file_name: string;
  /** VirtualDevice.key of the disk. */
  key?: number;
  /** Disk UUID (backing.uuid), `''` when the host reports none. */
  uuid?: string;
  /** The disk's change id at the snapshot (backing.changeId), null when tracking was not in force. */
  change_id?: string | null;
  /** The restore point's file holding the disk's data (`disk1-flat.vmdk`), null when it is no single extent. */
  extent?: string | null;
  /** How its data was read: every byte, the areas in use (change id `*`), or the areas changed. */
  read?: 'full' | 'allocated' | 'incremental';
  /** Incremental reads of this disk since its last read of every byte or area in use. */
  incrementals?: number;
}

/** What the backup knows about the VM and its source (the same fields as a legacy `manifest.json`). */
export interface IndexMeta {
  vm: {
    name: string;
    moref: string;
    guest_id: string;
    guest_os: string;
    num_cpu: number;
    memory_mb: number;
    /** `[datastore] dir/name.vmx` */
    vmx_path: string;
    disks: IndexDisk[];
  };
  source_host: { name: string; hostname: string; version: string };
  snapshot: { name: string; moref: string | null; quiesced: boolean };
}

/** An index file (`.indexes/<vm>/<stamp>-job<id>.json`): one restore point. */
export interface Index extends IndexMeta {
  format: 'ebm-index';
  version: 1;
  /** The repository's id (repository.json `id`). */
  repository: string;
  /** Bytes per chunk (repository.json `chunk_size`). */
  chunk_size: number;
  encrypted: boolean;
  app_version: string;
  job_id: number;
  /** ISO 8601 timestamps. */
  started_at: string;
  finished_at: string;
  files: IndexFile[];
  /** Sum of the files' sizes (bytes). */
  logical_bytes: number;
  /** Blob bytes this restore point newly wrote (chunks it did not find in the repository). */
  bytes_written: number;
}

/** A VM name made safe as one path segment (no separators, no leading dot): `<vm segment>`. */
export function safeSegment(name: string): string {
  const cleaned = name
    .replace(/[/\\\0:*?"<>|]/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  return cleaned || '_';
}

/** `2026-11-22T13:27:03.436Z` -> `20261122T132703Z`: the `<stamp>` of an index name. */
export function compactTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** `P/.indexes/<vm segment>/`: the indexes of one VM (by name). */
export const vmIndexDir = (dir: string, vmName: string): string =>
  path.join(dir, INDEXES_DIR, safeSegment(vmName));

/** `P/.chunks/<first 4 hex>/<digest>`. */
export const chunkPath = (dir: string, digest: string): string =>
  path.join(dir, CHUNKS_DIR, digest.slice(0, 4), digest);

/** The chunk's path relative to the repository, as error messages name it. */
export const chunkName = (digest: string): string => `${CHUNKS_DIR}/${digest.slice(0, 4)}/${digest}`;

/** Number of chunk_size pieces of a file of `size` bytes (0 for an empty file). */
export const chunkCount = (size: number, chunkSize: number): number => Math.ceil(size / chunkSize);

/** Length in bytes of piece `i` of a file of `size` bytes. */
export const pieceLength = (i: number, size: number, chunkSize: number): number =>
  Math.min(chunkSize, size - i * chunkSize);
