/** @module backup/space: the free-space check made before a backup starts, and byte formatting for messages. */
import { statfs } from 'node:fs/promises';

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
 * @returns null when it fits, else the message to fail the job with.
 */
export function spaceShortage(
  freeBytes: number,
  neededBytes: number,
  where: string,
  reserveBytes = SPACE_RESERVE_BYTES,
): string | null {
  if (freeBytes >= neededBytes + reserveBytes) return null;
  return (
    `Not enough free space on the storage path ${where}: the backup needs ${formatBytes(neededBytes)} ` +
    `(plus ${formatBytes(reserveBytes)} reserve) but only ${formatBytes(freeBytes)} is free.`
  );
}

/**
 * Bytes available to this process on the file system holding `dir` (statfs).
 * @throws the fs error (ENOENT, EACCES) when the directory cannot be examined.
 */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}
