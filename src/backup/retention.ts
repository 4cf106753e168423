/**
 * @module backup/retention: keeps the last N completed backups of a VM (`BACKUP_RETENTION_COUNT`). Only
 * COMPLETED backups are counted and deleted, oldest first, so failed or cancelled runs never push the last
 * good backup out.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { completedBackupsOf } from '../db/backups.js';
import type { Db } from '../db/client.js';
import { deleteJob } from '../db/jobs.js';
import type { Logger } from '../logger.js';

/**
 * Deletes the completed backups of a VM beyond the `keep` newest: their directory, then their job row
 * (which removes the backup row by cascade).
 * @param opts.keep how many completed backups to keep (at least 1).
 * @param opts.current id of a backup that has just succeeded (its job not yet marked COMPLETED): counted.
 * @returns the ids of the deleted backups.
 * @throws fs errors other than a missing directory (the backup row is then kept, to retry next time).
 */
export async function applyRetention(
  deps: { db: Db; logger: Logger },
  opts: { virtualMachineId: number; keep: number; current?: number | null },
): Promise<number[]> {
  const keep = Math.max(1, Math.floor(opts.keep));
  const rows = await completedBackupsOf(deps.db, opts.virtualMachineId, opts.current ?? null);
  const deleted: number[] = [];
  for (const row of rows.slice(keep)) {
    // Only a directory this app named (`...-job<id>`) is ever removed.
    if (row.backup_dir && path.basename(row.backup_dir).endsWith(`-job${row.job_id}`)) {
      await rm(row.backup_dir, { recursive: true, force: true });
    }
    await deleteJob(deps.db, row.job_id);
    deleted.push(row.id);
  }
  if (deleted.length) deps.logger.info({ vm: opts.virtualMachineId, deleted }, 'backup retention applied');
  return deleted;
}
