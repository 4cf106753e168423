/**
 * @module backup/space: the free-space check made before a backup starts (how much a backup into a
 * repository may write, given the VM's newest restore point there), and byte formatting for messages.
 */
import { readdir, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Repository } from '../repository/config.js';
import { isRepositoryError } from '../repository/errors.js';
import { vmIndexDir } from '../repository/format.js';
import { isFsError } from '../repository/parallel.js';
import { readIndex } from '../repository/reader.js';
import { BackupError } from './errors.js';

/** Bytes kept free beyond the backup itself (index, blob headers, file system metadata): 64 MiB. */
export const SPACE_RESERVE_BYTES = 64 * 1024 * 1024;

/** `1536` -> `1.5 KiB`; binary units, one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Decides whether a backup fits (pure, so that it can be tested without filling a disk).
 * @param freeBytes bytes available to the app on the storage path's file system (statfs `bavail * bsize`).
 * @param neededBytes bytes the backup may write (bytesToReserve).
 * @param reserveBytes bytes to leave free on top (default {@link SPACE_RESERVE_BYTES}).
 * @returns null when it fits, else the error to fail the job with (code `no_space`, `backups.error.no_space`).
 */
export function spaceShortage(
  freeBytes: number,
  neededBytes: number,
  where: string,
  reserveBytes = SPACE_RESERVE_BYTES,
): BackupError | null {
  if (freeBytes >= neededBytes + reserveBytes) return null;
  return new BackupError('no_space', 'backups.error.no_space', {
    path: where,
    needed: formatBytes(neededBytes),
    reserve: formatBytes(reserveBytes),
    free: formatBytes(freeBytes),
  });
}

/**
 * Bytes available to this process on the file system holding `dir` (statfs).
 * @throws the fs error (ENOENT, EACCES) when the directory cannot be examined.
 */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** What a VM's newest restore point in a repository wrote and held, from its index (bytes). */
export interface LastRestorePoint {
  bytesWritten: number;
  logicalBytes: number;
  /** It is the VM's only restore point there (its first backup: what it wrote is no change rate). */
  only: boolean;
}

/** Share of a VM assumed changed after its first backup: twice a generous 10 % change per interval. */
const FIRST_CHANGE = 0.2;

/**
 * The bytes a backup of a VM must find free before it starts (the reserve comes on top, in spaceShortage).
 * - No restore point of the VM in this repository: the VM's size, the worst case of every chunk new and
 *   incompressible (a blob's header and tag are covered by the reserve).
 * - Otherwise a backup writes only the chunks changed since, compressed. The newest restore point's
 *   bytes written measure one interval's change: twice that (room for a busier interval). When it is the
 *   VM's only one, what it wrote was the whole VM, no change rate: 20 % of the VM's size then (asking for
 *   the whole VM again would refuse the second backup of a VM whose first one filled half the disk).
 *   Plus what the VM's files grew since (new data at most); at least one chunk; never more than the VM.
 * An estimate, not a promise, so leaning to let a backup try: one that still runs out of space fails on
 * ENOSPC with no restore point (no index is written, its temporary file removed), and the chunks it stored
 * are reused by the next backup or removed by garbage collection.
 * @param vmBytes sum of the VM files' sizes; chunkSize the repository's chunk size (bytes).
 * @example
 * bytesToReserve(500 * GiB, { bytesWritten: 2 * GiB, logicalBytes: 500 * GiB, only: false }, 4 * MiB) // 4 GiB
 */
export function bytesToReserve(vmBytes: number, last: LastRestorePoint | null, chunkSize: number): number {
  if (!last) return vmBytes;
  const change = last.only ? Math.ceil(vmBytes * FIRST_CHANGE) : 2 * last.bytesWritten;
  const grown = Math.max(0, vmBytes - last.logicalBytes);
  return Math.min(vmBytes, Math.max(change + grown, chunkSize));
}

/**
 * The newest restore point of a VM in `repo`: the last index (by name: `<stamp>-job<id>`) under
 * `.indexes/<vm segment>/`, when its VM has this moref, and whether it is the only index there.
 * @returns null when there is none, or when that index cannot be read (the caller then asks for the
 *   VM's whole size). @throws fs errors other than ENOENT on the directory.
 */
export async function lastRestorePoint(
  repo: Repository,
  vm: { name: string; moref: string },
): Promise<LastRestorePoint | null> {
  let names: string[];
  try {
    names = await readdir(vmIndexDir(repo.dir, vm.name));
  } catch (err) {
    if (isFsError(err, 'ENOENT')) return null;
    throw err;
  }
  const indexes = names.filter((n) => n.endsWith('.json')).sort();
  const newest = indexes.at(-1);
  if (!newest) return null;
  try {
    const index = await readIndex(repo, path.join(vmIndexDir(repo.dir, vm.name), newest));
    if (index.vm.moref !== vm.moref) return null;
    return {
      bytesWritten: index.bytes_written,
      logicalBytes: index.logical_bytes,
      only: indexes.length === 1,
    };
  } catch (err) {
    if (isRepositoryError(err, 'index_corrupt')) return null;
    throw err;
  }
}

/**
 * The error a backup fails with when the storage path filled up while it wrote (ENOSPC, also from a chunk
 * worker): code `storage_full`, naming the path. Any other error is returned as it is.
 */
export function storageFull(err: unknown, where: string): unknown {
  if ((err as NodeJS.ErrnoException | null)?.code !== 'ENOSPC') return err;
  return new BackupError('storage_full', 'backups.error.storage_full', { path: where });
}
