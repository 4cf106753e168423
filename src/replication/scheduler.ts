/**
 * @module replication/scheduler: every REPLICATION_SCHEDULER_INTERVAL_SECONDS, enqueues a run of each active,
 * unpaused replication whose `next_run_at` has passed (set one interval after each run; a replication never
 * started has none). The claim is a conditional UPDATE of `next_run_at` (db/replications.ts), so a schedule
 * fires once even with several app processes on one database.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (replication_interval_minutes)
 */
import { claimDueReplications } from '../db/replications.js';
import type { AppDeps } from '../deps.js';
import type { JobRow } from '../jobs/types.js';

/**
 * One pass: claims the due replications and enqueues their runs, then wakes the runner.
 * @returns the jobs enqueued. @throws the database error.
 */
export async function scheduleDueReplications(
  deps: Pick<AppDeps, 'db' | 'jobs' | 'logger'>,
): Promise<JobRow[]> {
  const queued = await claimDueReplications(deps.db);
  if (queued.length > 0) {
    deps.logger.info({ jobs: queued.map((j) => j.id) }, 'scheduled replication runs queued');
    deps.jobs?.wake();
  }
  return queued;
}

/**
 * Starts the periodic scheduler. @param intervalSeconds seconds between passes; 0 turns it off.
 * @returns a function that stops it. Errors are logged, never thrown.
 */
export function startReplicationScheduler(deps: AppDeps, intervalSeconds: number): () => void {
  if (intervalSeconds <= 0) return () => {};
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    scheduleDueReplications(deps)
      .catch((err) => deps.logger.error({ err }, 'replication scheduler failed'))
      .finally(() => {
        busy = false;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
