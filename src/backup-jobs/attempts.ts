/**
 * @module backup-jobs/attempts: one VM of a run: starting a backup attempt (a `vm_backup` job with the backup
 * job's settings), reading how it ended into the VM's line, and cancelling the attempts of a run that stops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { closeOpenRunVms, type RunVmRow, updateRunVm } from '../db/backup-job-runs.js';
import type { BackupJobRow } from '../db/backup-jobs.js';
import { createBackupJob, getBackup } from '../db/backups.js';
import { getJob } from '../db/jobs.js';
import type { AppDeps } from '../deps.js';
import { cancelJob } from '../jobs/actions.js';
import { storedError } from '../jobs/execute.js';

/** A running attempt: the VM's line and its backup's job. */
export interface Attempt {
  line: RunVmRow;
  jobId: number;
  backupId: number;
}

/** How an attempt ended: `running` while its job is active. */
export type AttemptState = 'running' | 'success' | 'failed';

/**
 * Queues a backup of the line's VM with the job's storage path, quiesce and retention, and marks the line
 * `running`. A VM the backup cannot be queued for (gone, storage path inactive) gives a failed attempt with
 * that error instead (jobId 0).
 * @returns the attempt.
 */
export async function startAttempt(deps: AppDeps, backupJob: BackupJobRow, line: RunVmRow): Promise<Attempt> {
  const attempts = line.attempts + 1;
  try {
    const backup = await createBackupJob(deps.db, {
      virtual_machine_id: line.virtual_machine_id ?? 0,
      storage_path_id: backupJob.storage_path_id,
      quiesce: backupJob.quiesce,
      retention: backupJob.retention,
    });
    const values = {
      status: 'running' as const,
      attempts,
      vm_backup_id: backup.id,
      vm_job_id: backup.job_id,
      started_at: new Date(),
      finished_at: null,
    };
    await updateRunVm(deps.db, line.id, values);
    deps.jobs?.wake();
    return { line: { ...line, ...values }, jobId: backup.job_id, backupId: backup.id };
  } catch (err) {
    const values = { attempts, error: storedError(err), started_at: new Date() };
    await updateRunVm(deps.db, line.id, values);
    return { line: { ...line, ...values }, jobId: 0, backupId: 0 };
  }
}

/**
 * Reads an attempt's job and, once it has ended, records the outcome on its line: `success` with the restore
 * point's bytes and mode, or the error (the line stays `pending` when `retry` says a retry follows).
 * @returns the state and the job's progress (percent).
 */
export async function settleAttempt(
  deps: AppDeps,
  attempt: Attempt,
  retry: boolean,
): Promise<{ state: AttemptState; progress: number }> {
  const job = attempt.jobId ? await getJob(deps.db, attempt.jobId) : null;
  if (job && (job.status === 'PENDING' || job.status === 'IN_PROGRESS'))
    return { state: 'running', progress: job.progress };
  const finished_at = new Date();
  if (job?.status === 'COMPLETED') {
    const backup = await getBackup(deps.db, attempt.backupId);
    await updateRunVm(deps.db, attempt.line.id, {
      status: 'success',
      error: null,
      bytes_read: backup?.bytes_read ?? 0,
      bytes_written: backup?.bytes_written ?? 0,
      mode: backup?.mode ?? 'full',
      finished_at,
    });
    return { state: 'success', progress: 100 };
  }
  const error = job ? (job.error ?? storedError(new Error(job.status))) : attempt.line.error;
  await updateRunVm(deps.db, attempt.line.id, {
    status: retry ? 'pending' : 'failed',
    error,
    finished_at: retry ? null : finished_at,
  });
  return { state: 'failed', progress: 0 };
}

/**
 * Stops a run's attempts: cancels their backups (PENDING at once, running ones through their worker), waits
 * up to `graceMs` for them to end, and closes the run's open lines with `status` and `error`.
 */
export async function stopAttempts(
  deps: AppDeps,
  runId: number,
  attempts: Attempt[],
  status: 'cancelled' | 'failed',
  error: string | null,
  graceMs = 5_000,
): Promise<void> {
  const ids = attempts.map((a) => a.jobId).filter((id) => id > 0);
  for (const id of ids) await cancelJob(deps, id).catch(() => null);
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    const states = await Promise.all(ids.map((id) => getJob(deps.db, id)));
    if (states.every((j) => !j || (j.status !== 'PENDING' && j.status !== 'IN_PROGRESS'))) break;
    await sleep(200);
  }
  await closeOpenRunVms(deps.db, runId, status, error);
}
