/**
 * @module backup-jobs/scheduler: the pass that turns due schedule slots into runs, in every app process. A slot
 * is claimed by a conditional UPDATE of `next_run_at` (db/backup-jobs.ts `claimBackupJobSlot`) in the
 * transaction that creates the run, so it runs once across processes. `next_run_at` becomes the schedule's next
 * slot after now: slots missed while the app was down give one run (trigger `missed` when the slot is older
 * than MISSED_AFTER_SECONDS), not one per slot. A slot that finds the job running waits: `next_run_at` stays,
 * and the run starts at the first pass after the running one ended.
 */
import { claimBackupJobSlot, dueBackupJobs } from '../db/backup-jobs.js';
import type { AppDeps } from '../deps.js';
import { nextRun } from '../schedule/index.js';
import { insertRun } from './start.js';

/** A slot older than this when claimed was missed (the app was down or busy), in seconds. */
export const MISSED_AFTER_SECONDS = 60;

/**
 * One pass: claims each due slot and creates its run.
 * @returns the ids of the runs created. @throws the database error when the jobs cannot be read.
 */
export async function runBackupJobSchedulerPass(deps: AppDeps, now = new Date()): Promise<number[]> {
  const created: number[] = [];
  for (const job of await dueBackupJobs(deps.db, now)) {
    if (!job.schedule || !job.next_run_at) continue;
    const slot = job.next_run_at;
    const trigger = now.getTime() - slot.getTime() > MISSED_AFTER_SECONDS * 1000 ? 'missed' : 'schedule';
    try {
      const run = await deps.db.transaction(async (tx) => {
        const schedule = job.schedule;
        if (!schedule || !(await claimBackupJobSlot(tx, job, now, nextRun(schedule, now)))) return null;
        return insertRun(tx, job, trigger, null);
      });
      if (!run) continue;
      created.push(run.id);
      deps.logger.info(
        { backupJob: job.name, run: run.id, trigger, slot },
        'scheduled backup job run queued',
      );
    } catch (err) {
      deps.logger.warn({ backupJob: job.name, err }, 'scheduled backup job run not created');
    }
  }
  if (created.length > 0) deps.jobs?.wake();
  return created;
}

/**
 * Runs a pass at start-up (missed slots) and then every `intervalSeconds` (BACKUP_JOB_SCHEDULER_INTERVAL_SECONDS;
 * 0: never). Errors are logged, never thrown; passes never overlap.
 * @returns a function that stops the scheduler.
 */
export function startBackupJobScheduler(deps: AppDeps, intervalSeconds: number): () => void {
  if (intervalSeconds <= 0) return () => {};
  let busy = false;
  const pass = () => {
    if (busy) return;
    busy = true;
    runBackupJobSchedulerPass(deps)
      .catch((err: unknown) => deps.logger.error({ err }, 'backup job scheduler pass failed'))
      .finally(() => {
        busy = false;
      });
  };
  const first = setTimeout(pass, 0);
  const timer = setInterval(pass, intervalSeconds * 1000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
