/**
 * @module backup/restore-source: what a restore reads, whatever the backup's format. A legacy `directory`
 * backup is verified before anything is sent to a host (manifest, every file's SHA-256). A `repository`
 * restore point has its index checked against the recorded SHA-256 first, then each file is checked while
 * it is read, once: every chunk is decoded and its digest checked before its bytes are handed on, and the
 * whole-file digest once the last one is out, so that the reading fails naming the file; the upload
 * (backup/restore-upload.ts) waits for that verdict, and the restore removes what it sent when it fails.
 * Files are read into chunk slots of the slot pool, which the upload hands to its worker thread.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackupListItem } from '../db/backups.js';
import { getStoragePath } from '../db/storage-paths.js';
import type { AppDeps } from '../deps.js';
import type { ProgressUpdate } from '../jobs/types.js';
import { openRepository, type Repository } from '../repository/config.js';
import { isRepositoryError } from '../repository/errors.js';
import type { FilledSlot } from '../repository/file-writer.js';
import type { Index, IndexFile } from '../repository/format.js';
import { readFileChunks, readFileSlots, readIndex } from '../repository/reader.js';
import { CorruptBackupError } from './errors.js';
import type { Manifest, ManifestFile } from './manifest.js';
import { unsealMasterKey } from './repository-access.js';
import { directoryFileSlots, verifyBackup } from './verify.js';

/** A backup to restore: its manifest (files, sizes, VM) and a reader for each of its files. */
export interface RestoreSource {
  manifest: Manifest;
  /**
   * The file's bytes in chunk slots of the slot pool (repository/pool.ts), each the caller's to give back.
   * A restore point's are checked on the way: an error (CorruptBackupError) names the file, possibly after
   * the last slot.
   */
  readSlots(file: ManifestFile, signal: AbortSignal): AsyncIterable<FilledSlot>;
  /** The whole (small) file, e.g. the .vmx. */
  readAll(file: ManifestFile, signal: AbortSignal): Promise<Buffer>;
}

/** The backup fields a restore needs. */
export type RestorableBackup = Pick<
  BackupListItem,
  'format' | 'backup_dir' | 'index_path' | 'manifest_sha256' | 'storage_path_id'
>;

/** Percent span of the caller's job and its reporter. */
type Progress = { from: number; to: number; report(update: ProgressUpdate): void };

/**
 * A repository error about content (chunk, file, index) as the restore's CorruptBackupError naming the file;
 * anything else as it is.
 */
export function corruptionOf(err: unknown, fileName: string): unknown {
  if (isRepositoryError(err, 'chunk_corrupt')) {
    const digest = String(err.detail.params?.digest ?? '');
    return new CorruptBackupError('backups.corrupt.chunk', { file: fileName, digest });
  }
  if (isRepositoryError(err, 'file_corrupt'))
    return new CorruptBackupError('backups.corrupt.sha256', { file: fileName });
  if (isRepositoryError(err, 'index_corrupt'))
    return new CorruptBackupError('backups.corrupt.format', { file: fileName });
  return err;
}

/** The layoutEx type a file of a restore point had, from its name (the index does not keep it). */
function fileType(name: string, vmxPath: string): string {
  if (name === path.posix.basename(vmxPath.replace(/^\[[^\]]*\]\s*/, '')) || name.endsWith('.vmx'))
    return 'config';
  if (name.endsWith('.nvram')) return 'nvram';
  return /-(flat|delta|sesparse|\d{6}-delta)\.vmdk$/.test(name) ? 'diskExtent' : 'diskDescriptor';
}

/** The index as the legacy manifest shape the upload speaks. */
function manifestOf(index: Index): Manifest {
  return {
    format: 1,
    app_version: index.app_version,
    vm: index.vm,
    source_host: index.source_host,
    snapshot: index.snapshot,
    started_at: index.started_at,
    finished_at: index.finished_at,
    total_bytes: index.logical_bytes,
    files: index.files.map((f) => ({
      name: f.name,
      source: '',
      type: fileType(f.name, index.vm.vmx_path),
      size_bytes: f.size,
      // An incrementally made file has no whole-file digest; its chunk list's is checked when it is read.
      sha256: f.sha256 ?? f.chunks_sha256 ?? '',
    })),
  };
}

/** The repository holding `indexPath` (`P/.indexes/<vm>/<name>.json`), with its key when encrypted. */
async function repositoryOf(
  deps: Pick<AppDeps, 'db' | 'repositoryKeys'>,
  backup: RestorableBackup,
  indexPath: string,
) {
  const dir = path.dirname(path.dirname(path.dirname(indexPath)));
  const storage = backup.storage_path_id ? await getStoragePath(deps.db, backup.storage_path_id) : null;
  if (storage?.encrypted && path.resolve(storage.path) === path.resolve(dir)) {
    return openRepository(dir, { masterKey: unsealMasterKey(deps, storage) });
  }
  return openRepository(dir, {});
}

/**
 * Reads a restore point's index, checking it against `vm_backups.manifest_sha256`.
 * @throws CorruptBackupError (`backups.corrupt.missing`, `.sha256`, `.format`) naming the index file.
 */
async function checkedIndex(repo: Repository, indexPath: string, sha256: string | null): Promise<Index> {
  const name = path.basename(indexPath);
  let bytes: Buffer;
  try {
    bytes = await readFile(indexPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new CorruptBackupError('backups.corrupt.missing', {
      file: name,
      dir: path.dirname(indexPath),
      code,
    });
  }
  if (!sha256 || createHash('sha256').update(bytes).digest('hex') !== sha256) {
    throw new CorruptBackupError('backups.corrupt.sha256', { file: name });
  }
  try {
    return await readIndex(repo, indexPath);
  } catch (err) {
    throw corruptionOf(err, name);
  }
}

/** The slots of a file of a restore point, every chunk and the whole-file digest checked. */
async function* restorePointSlots(repo: Repository, file: IndexFile, signal: AbortSignal) {
  try {
    yield* readFileSlots(repo, file, signal);
  } catch (err) {
    throw corruptionOf(err, file.name);
  }
}

/**
 * Checks a completed backup (either format) and returns how to read it: a legacy directory is verified in
 * full here; a restore point has its index checked here and every chunk and whole file as it is read.
 * @param progress percent span `from`..`to` of the job the directory verification covers.
 * @throws CorruptBackupError naming the file (nothing has been sent anywhere then); RepositoryError when the
 *   repository cannot be opened (config, key); the signal's reason when cancelled.
 */
export async function openRestoreSource(
  deps: Pick<AppDeps, 'db' | 'repositoryKeys'>,
  backup: RestorableBackup,
  signal: AbortSignal,
  progress: Progress,
): Promise<RestoreSource> {
  if (backup.format === 'repository' && backup.index_path) {
    const repo = await repositoryOf(deps, backup, backup.index_path);
    const index = await checkedIndex(repo, backup.index_path, backup.manifest_sha256);
    const byName = new Map(index.files.map((f) => [f.name, f]));
    const entry = (file: ManifestFile) => byName.get(file.name) as IndexFile;
    return {
      manifest: manifestOf(index),
      readSlots: (file, s) => restorePointSlots(repo, entry(file), s),
      async readAll(file, s) {
        const parts: Buffer[] = [];
        try {
          for await (const piece of readFileChunks(repo, entry(file), s)) parts.push(piece);
        } catch (err) {
          throw corruptionOf(err, file.name);
        }
        return Buffer.concat(parts);
      },
    };
  }
  const dir = backup.backup_dir as string;
  const manifest = await verifyBackup(dir, backup.manifest_sha256, signal, progress);
  return {
    manifest,
    readSlots: (file, s) => directoryFileSlots(path.join(dir, file.name), s),
    readAll: (file) => readFile(path.join(dir, file.name)),
  };
}
