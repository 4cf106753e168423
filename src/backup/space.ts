/** @module backup/space: the free-space check made before a backup starts, and byte formatting for messages. */
import { statfs } from 'node:fs/promises';
import { BackupError } from './errors.js';

/** Bytes kept free beyond the backup itself (manifest, file system metadata): 64 MiB. */
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
 * @param neededBytes sum of the VM files' sizes, in bytes.
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
