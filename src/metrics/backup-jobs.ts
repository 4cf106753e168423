/**
 * @module metrics/backup-jobs: the backup jobs family: jobs (all, active), runs by status, and per job (labels
 * `id` and `backup_job`, its name (not `job`, Prometheus' target label), bounded by the table) its newest run's status as a number (documented in the
 * README: 0 success, 1 warning, 2 failed, 3 cancelled, 4 running), when that run started, and the job's next
 * scheduled slot (active scheduled jobs only). Three aggregate queries per scrape.
 */
import type { Db } from '../db/client.js';
import { backupJobCounts, backupJobRunCounts, backupJobStates } from '../db/metrics-backup-jobs.js';
import { BACKUP_JOB_RUN_STATUSES, type BackupJobRunStatus } from '../db/schema.js';
import { type Collector, countsBy, createFamily } from './collector.js';

/** The value of `esxi_backup_job_last_run_status` for each run status. */
export const RUN_STATUS_VALUE: Record<BackupJobRunStatus, number> = {
  success: 0,
  warning: 1,
  failed: 2,
  cancelled: 3,
  running: 4,
};

/** The backup jobs family's collector. */
export function backupJobsCollector(): Collector {
  const family = createFamily();
  const total = family.gauge('esxi_backup_jobs_total', 'Backup jobs defined.');
  const active = family.gauge('esxi_backup_jobs_active', 'Backup jobs active (their schedule applies).');
  const runs = family.gauge('esxi_backup_job_runs_total', 'Backup job runs recorded, by status.', ['status']);
  const lastStatus = family.gauge(
    'esxi_backup_job_last_run_status',
    'Status of the newest run of each backup job: 0 success, 1 warning, 2 failed, 3 cancelled, 4 running.',
    ['id', 'backup_job'],
  );
  const lastStart = family.gauge(
    'esxi_backup_job_last_run_timestamp_seconds',
    'Unix time the newest run of each backup job started.',
    ['id', 'backup_job'],
  );
  const nextRun = family.gauge(
    'esxi_backup_job_next_run_timestamp_seconds',
    'Unix time of the next scheduled slot of each active scheduled backup job.',
    ['id', 'backup_job'],
  );

  return {
    name: 'backup_jobs',
    metrics: family.metrics,
    async update(db: Db) {
      const [counts, byStatus, states] = await Promise.all([
        backupJobCounts(db),
        backupJobRunCounts(db),
        backupJobStates(db),
      ]);
      total.set(counts.n);
      active.set(counts.active);
      const statuses = countsBy(byStatus, 'status');
      for (const status of BACKUP_JOB_RUN_STATUSES) runs.set({ status }, statuses.get(status) ?? 0);
      for (const g of [lastStatus, lastStart, nextRun]) g.reset();
      for (const s of states) {
        const labels = { id: String(s.id), backup_job: s.name };
        if (s.status) lastStatus.set(labels, RUN_STATUS_VALUE[s.status]);
        if (s.started_at) lastStart.set(labels, s.started_at.getTime() / 1000);
        if (s.is_active && s.next_run_at) nextRun.set(labels, s.next_run_at.getTime() / 1000);
      }
    },
  };
}
