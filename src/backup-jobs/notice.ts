/**
 * @module backup-jobs/notice: tells the notification channels how a backup job run ended
 * (`backup_job.failed`, `.warning`, `.success`; a cancelled run sends nothing), naming the job, and each VM
 * with its host and, when its backup failed or was skipped, its error. Never throws: a run's outcome does not
 * depend on its notice (src/notifications/notices.ts `notifyBackupJobRun`).
 */
import { listRunVms } from '../db/backup-job-runs.js';
import { getBackupJob } from '../db/backup-jobs.js';
import { getVirtualMachine } from '../db/inventory.js';
import type { BackupJobRunStatus } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { notifyBackupJobRun } from '../notifications/index.js';

/**
 * Sends the run's notice.
 * @param run the run's id and its backup job's id; @param outcome how it ended.
 */
export async function announceRun(
  deps: Pick<AppDeps, 'db' | 'logger'>,
  run: { id: number; backup_job_id: number },
  outcome: BackupJobRunStatus,
): Promise<void> {
  if (outcome !== 'failed' && outcome !== 'warning' && outcome !== 'success') return;
  try {
    const job = await getBackupJob(deps.db, run.backup_job_id);
    if (!job) return;
    const lines = await listRunVms(deps.db, run.id);
    const vms = await Promise.all(
      lines.map(async (line) => {
        const vm = line.virtual_machine_id ? await getVirtualMachine(deps.db, line.virtual_machine_id) : null;
        const failed = line.status === 'failed' || line.status === 'skipped';
        return { vm: line.vm_name, host: vm?.server_name ?? '—', error: failed ? line.error : null };
      }),
    );
    await notifyBackupJobRun(deps, outcome, { jobId: job.id, jobName: job.name, runId: run.id, vms });
  } catch (err) {
    deps.logger.warn({ run: run.id, err }, 'backup job run: notice not recorded');
  }
}
