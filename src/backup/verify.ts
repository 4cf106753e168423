/**
 * @module backup/verify: checks a directory backup before it is restored: the manifest against its recorded
 * SHA-256, then every file's size and SHA-256 against the manifest (hashed in worker threads); then reads
 * its files into chunk slots for the upload.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import type { FilledSlot } from '../repository/file-writer.js';
import { giveSlot, takeSlot } from '../repository/pool.js';
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

/** Slot size for a legacy directory backup's files. */
const LOCAL_SLOT_BYTES = 4 * 1024 * 1024;

/**
 * A file of a directory backup (verified before) read into chunk slots of the slot pool, each the caller's
 * to give back. @throws fs errors; the signal's reason.
 */
export async function* directoryFileSlots(file: string, signal: AbortSignal): AsyncGenerator<FilledSlot> {
  const handle = await open(file, 'r');
  try {
    for (;;) {
      signal.throwIfAborted();
      const slot = takeSlot(LOCAL_SLOT_BYTES);
      const { bytesRead } = await handle.read(new Uint8Array(slot), 0, LOCAL_SLOT_BYTES, null);
      if (bytesRead === 0) return giveSlot(slot);
      yield { slot, length: bytesRead };
    }
  } finally {
    await handle.close();
  }
}
