/**
 * @module backup-jobs/start: starting a run of a backup job: its `backup_job` job (a coordinating job: it takes
 * no runner slot) and its run row, created together. A job never runs twice at once: a second start while a
 * run is `running` is refused (409 `backup_job_running`), by the unique partial index on running runs.
 */

import type { BackupJobRunRow } from '../db/backup-job-runs.js';
import type { BackupJobRow } from '../db/backup-jobs.js';
import { touchLastRun } from '../db/backup-jobs.js';
import type { Db } from '../db/client.js';
import { insertJob } from '../db/jobs.js';
import { backup_job_runs } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { ConflictError } from '../errors.js';
import { msg } from '../i18n/message.js';
import { isUniqueViolation } from './errors.js';

export type RunTrigger = BackupJobRunRow['trigger'];

/**
 * Inserts the run and its job (call inside a transaction; wake the runner after the commit).
 * @returns the run row. @throws the unique violation when the job has a run `running`.
 */
export async function insertRun(
  tx: Db,
  backupJob: BackupJobRow,
  trigger: RunTrigger,
  createdBy: number | null,
): Promise<BackupJobRunRow> {
  const job = await insertJob(tx, {
    type: 'backup_job',
    target_label: backupJob.name,
    payload: { backup_job_id: backupJob.id },
    created_by: createdBy,
  });
  const [run] = await tx
    .insert(backup_job_runs)
    .values({ backup_job_id: backupJob.id, job_id: job.id, trigger })
    .returning();
  return run as BackupJobRunRow;
}

/**
 * Starts a run now ("Run now", whether the job is active or not).
 * @returns the run row.
 * @throws ConflictError (409) `backup_job_running` when a run of this job is running.
 */
export async function startRun(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  backupJob: BackupJobRow,
  trigger: RunTrigger,
  createdBy: number | null = null,
): Promise<BackupJobRunRow> {
  let run: BackupJobRunRow;
  try {
    run = await deps.db.transaction((tx) => insertRun(tx, backupJob, trigger, createdBy));
  } catch (err) {
    if (isUniqueViolation(err)) throw runningConflict(backupJob);
    throw err;
  }
  if (trigger === 'manual') await touchLastRun(deps.db, backupJob.id, new Date());
  deps.jobs?.wake();
  return run;
}

/** The 409 of a start while a run is running. */
export const runningConflict = (backupJob: BackupJobRow) =>
  new ConflictError('backup_job_running', msg('backup_jobs.error.running', { name: backupJob.name }));
