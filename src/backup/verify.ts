/**
 * @module backup/verify: checks a backup before it is restored: the manifest against its recorded SHA-256,
 * then every file's size and SHA-256 against the manifest (hashed in worker threads).
 */
import path from 'node:path';
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import { CorruptBackupError } from './errors.js';
import { type Manifest, readManifest } from './manifest.js';
import { hashLocalFile } from './transfer-pool.js';

/**
 * Verifies a backup directory.
 * @param expectedManifestSha256 `vm_backups.manifest_sha256`.
 * @param progress percent span `from`..`to` of the job this verification covers.
 * @returns the verified manifest.
 * @throws CorruptBackupError naming the file (`backups.corrupt.sha256`, `.size`, `.unreadable`);
 *   the signal's reason when cancelled.
 */
export async function verifyBackup(
  dir: string,
  expectedManifestSha256: string | null,
  signal: AbortSignal,
  progress: { from: number; to: number; report(update: ProgressUpdate): void },
): Promise<Manifest> {
  const manifest = await readManifest(dir, expectedManifestSha256);
  const total = Math.max(manifest.total_bytes, 1);
  let before = 0;
  for (const file of manifest.files) {
    const step = msg('step.verifying', { file: file.name });
    const onBytes = (bytes: number) =>
      progress.report({
        step,
        progress: Math.floor(progress.from + ((progress.to - progress.from) * (before + bytes)) / total),
      });
    onBytes(0);
    let result: { bytes: number; sha256: string };
    try {
      result = await hashLocalFile(path.join(dir, file.name), signal, onBytes);
    } catch (err) {
      signal.throwIfAborted();
      const code = (err as NodeJS.ErrnoException).code;
      throw new CorruptBackupError('backups.corrupt.unreadable', {
        file: file.name,
        detail: code ?? (err as Error).message,
      });
    }
    if (result.bytes !== file.size_bytes) {
      throw new CorruptBackupError('backups.corrupt.size', {
        file: file.name,
        bytes: result.bytes,
        expected: file.size_bytes,
      });
    }
    if (result.sha256 !== file.sha256)
      throw new CorruptBackupError('backups.corrupt.sha256', { file: file.name });
    before += file.size_bytes;
  }
  return manifest;
}
