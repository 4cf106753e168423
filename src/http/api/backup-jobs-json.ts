/**
 * @module http/api/backup-jobs-json: the API's JSON of a backup job (its schedule in the reader's words and its
 * next three runs), of a run (with its VM lines) and of a run's progress, built here only. Stored messages
 * (errors, steps) are rendered in the request's language, with their stable code beside them.
 */

import { inputOf } from '../../backup-jobs/index.js';
import type { BackupJobRunRow, RunListItem, RunVmLine } from '../../db/backup-job-runs.js';
import type { BackupJobRow } from '../../db/backup-jobs.js';
import type { Locale, Translate } from '../../i18n/translate.js';
import { nextRuns, scheduleWords } from '../../schedule/index.js';
import { errorJson } from './operations-json.js';

/** How many next run times a job shows. */
const NEXT_RUNS = 3;

/** A job's newest run, in short. */
function lastRunJson(run: BackupJobRunRow | undefined) {
  if (!run) return null;
  const { id, status, trigger, started_at, finished_at } = run;
  return { id, status, trigger, started_at, finished_at };
}

/** A backup job as `/api/backup-jobs/` answers it; `locale` words its schedule. */
export function backupJobJson(locale: Locale, job: BackupJobRow, last?: BackupJobRunRow) {
  return {
    id: job.id,
    ...inputOf(job),
    schedule_description: job.schedule ? scheduleWords(job.schedule, locale) : null,
    next_runs: job.schedule ? nextRuns(job.schedule, NEXT_RUNS).map((d) => d.toISOString()) : [],
    next_run_at: job.next_run_at,
    last_run_at: job.last_run_at,
    last_run: lastRunJson(last),
    created_at: job.created_at,
    updated_at: job.updated_at,
  };
}

/** One VM line of a run. */
export function runVmJson(t: Translate, line: RunVmLine) {
  const duration =
    line.started_at && line.finished_at
      ? Math.max(0, Math.round((line.finished_at.getTime() - line.started_at.getTime()) / 1000))
      : null;
  return {
    id: line.id,
    virtual_machine: line.virtual_machine_id,
    vm_name: line.vm_name,
    vm_backup: line.vm_backup_id,
    status: line.status,
    progress: line.progress,
    attempts: line.attempts,
    mode: line.mode,
    bytes_read: line.bytes_read,
    bytes_written: line.bytes_written,
    duration_seconds: duration,
    started_at: line.started_at,
    finished_at: line.finished_at,
    ...errorJson(t, line.error),
  };
}

/** A run; `lines` adds `vm_results` (the detail answer). */
export function runJson(t: Translate, run: RunListItem, lines?: RunVmLine[]) {
  return {
    id: run.id,
    backup_job: run.backup_job_id,
    backup_job_name: run.backup_job_name,
    status: run.status,
    trigger: run.trigger,
    progress: run.progress,
    operation: run.job_id,
    started_at: run.started_at,
    finished_at: run.finished_at,
    ...errorJson(t, run.error),
    ...(lines ? { vm_results: lines.map((l) => runVmJson(t, l)) } : {}),
  };
}

/** `GET /api/backup-job-runs/{id}/progress/`: percent, status and what it is doing in words. */
export function runProgressJson(t: Translate, run: RunListItem) {
  const message =
    run.status === 'running' && run.step
      ? t.stored(run.step)
      : run.error
        ? t.stored(run.error)
        : t(`backup_jobs.run.status.${run.status}`);
  return { id: run.id, progress: run.progress, status: run.status, message };
}
