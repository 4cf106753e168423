/**
 * @module backup/manifest: `manifest.json` of a legacy directory backup (made before repositories; nothing
 * writes one any more): every file with its size and SHA-256, the VM's configuration, the source host and the
 * snapshot. Its own SHA-256 is kept in the database (`vm_backups.manifest_sha256`) so that a tampered
 * manifest is caught too. Read for restoring and verifying those backups; the types also shape an index's
 * metadata (repository/format.ts).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IndexMeta } from '../repository/format.js';
import { CorruptBackupError } from './errors.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  /** Name inside the backup directory. */
  name: string;
  /** Where it came from: `[ds] dir/file`. */
  source: string;
  /** layoutEx type (`config`, `nvram`, `diskDescriptor`, `diskExtent`). */
  type: string;
  size_bytes: number;
  sha256: string;
}

export interface Manifest extends IndexMeta {
  format: 1;
  app_version: string;
  /** ISO 8601 timestamps. */
  started_at: string;
  finished_at: string;
  total_bytes: number;
  files: ManifestFile[];
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Reads `manifest.json` of a backup and checks it against the recorded hash.
 * @param expectedSha256 `vm_backups.manifest_sha256`.
 * @throws CorruptBackupError (`backups.corrupt.*`) when missing, unreadable or not matching.
 */
export async function readManifest(dir: string, expectedSha256: string | null): Promise<Manifest> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(dir, MANIFEST_FILE));
  } catch (err) {
    throw new CorruptBackupError('backups.corrupt.missing', {
      file: MANIFEST_FILE,
      dir,
      code: (err as NodeJS.ErrnoException).code ?? 'error',
    });
  }
  if (!expectedSha256 || sha256(bytes) !== expectedSha256) {
    throw new CorruptBackupError('backups.corrupt.sha256', { file: MANIFEST_FILE });
  }
  const manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  if (manifest.format !== 1 || !Array.isArray(manifest.files)) {
    throw new CorruptBackupError('backups.corrupt.format', { file: MANIFEST_FILE });
  }
  for (const f of manifest.files) {
    if (path.basename(f.name) !== f.name || f.name === MANIFEST_FILE) {
      throw new CorruptBackupError('backups.corrupt.bad_name', { file: MANIFEST_FILE, name: f.name });
    }
  }
  return manifest;
}
