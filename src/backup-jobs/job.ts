/**
 * @module backup-jobs/job: the `backup_job` job type. It is coordinating (it takes no runner slot: its
 * `vm_backup` children do) and cancellable. `cleanupInterrupted` (its process died) cancels the backups it had
 * running, closes its open VM lines, ends the run `failed` as interrupted and says so to the notification channels; the VM backups themselves are
 * failed and cleaned by their own recovery and the snapshot sweep.
 */
import { closeOpenRunVms, finishRun, getRunByJob, listRunVms } from '../db/backup-job-runs.js';
import { cancelJob } from '../jobs/actions.js';
import { INTERRUPTED_MESSAGE, type JobTypeDefinition } from '../jobs/types.js';
import { announceRun } from './notice.js';
import { runBackupJob } from './run.js';

export const backupJobJob: JobTypeDefinition = {
  handler: runBackupJob,
  cancellable: true,
  coordinating: true,
  async cleanupInterrupted(job, deps) {
    const run = await getRunByJob(deps.db, job.id);
    if (!run) return;
    const running = (await listRunVms(deps.db, run.id)).filter((l) => l.status === 'running' && l.vm_job_id);
    for (const line of running) await cancelJob(deps, line.vm_job_id as number).catch(() => null);
    await closeOpenRunVms(deps.db, run.id, 'failed', INTERRUPTED_MESSAGE);
    if (await finishRun(deps.db, run.id, 'failed', INTERRUPTED_MESSAGE))
      await announceRun(deps, run, 'failed');
  },
};
