/**
 * @module backup/backup-dirs: where a backup is written: `<storage path>/<vm name>/<timestamp>-job<id>.partial/`
 * while it runs, renamed (atomically, same directory) to `<timestamp>-job<id>/` once complete.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

export const PARTIAL_SUFFIX = '.partial';

/** The directories of one backup run. */
export interface BackupDirs {
  /** `<storage path>/<vm name>` */
  vmDir: string;
  /** The directory written to while the backup runs. */
  partial: string;
  /** Its name once complete. */
  final: string;
}

/** A VM name made safe as one path segment (no separators, no leading dot). */
export function safeSegment(name: string): string {
  const cleaned = name
    .replace(/[/\\\0:*?"<>|]/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  return cleaned || '_';
}

/** `2026-11-22T13:27:03.436Z` -> `20261122T132703Z`. */
export function compactTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * The directories of a backup.
 * @param root the storage path; vmName the VM's name; jobId the job's id; startedAt when the run began.
 */
export function backupDirs(root: string, vmName: string, jobId: number, startedAt: Date): BackupDirs {
  const vmDir = path.join(root, safeSegment(vmName));
  const base = `${compactTimestamp(startedAt)}-job${jobId}`;
  return { vmDir, partial: path.join(vmDir, base + PARTIAL_SUFFIX), final: path.join(vmDir, base) };
}

/**
 * Removes what a run of job `jobId` left in `<root>/<vm name>/`: its `.partial` directory and, when
 * `keepFinal` is false, a final directory the database never recorded. Idempotent.
 * @returns the removed paths.
 */
export async function removeJobDirs(
  root: string,
  vmName: string,
  jobId: number,
  keepFinal: boolean,
): Promise<string[]> {
  const vmDir = path.join(root, safeSegment(vmName));
  let entries: string[];
  try {
    entries = await readdir(vmDir);
  } catch {
    return [];
  }
  const mine = (e: string) =>
    e.endsWith(`-job${jobId}${PARTIAL_SUFFIX}`) || (!keepFinal && e.endsWith(`-job${jobId}`));
  const removed = entries.filter(mine).map((e) => path.join(vmDir, e));
  for (const dir of removed) await rm(dir, { recursive: true, force: true });
  return removed;
}
