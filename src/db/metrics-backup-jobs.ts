/**
 * @module db/metrics-backup-jobs: the aggregate queries of the backup jobs metrics family: jobs (all, active),
 * runs by status, and per job its newest run and next slot.
 */
import { desc, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { type BackupJobRunStatus, backup_job_runs, backup_jobs } from './schema.js';

/** Backup jobs, all and active. */
export async function backupJobCounts(db: Db): Promise<{ n: number; active: number }> {
  const [row] = await db
    .select({
      n: sql<number>`count(*)::int`,
      active: sql<number>`count(*) filter (where ${backup_jobs.is_active})::int`,
    })
    .from(backup_jobs);
  return { n: Number(row?.n ?? 0), active: Number(row?.active ?? 0) };
}

/** Runs counted by status. */
export async function backupJobRunCounts(db: Db): Promise<Array<{ status: BackupJobRunStatus; n: number }>> {
  return db
    .select({ status: backup_job_runs.status, n: sql<number>`count(*)::int` })
    .from(backup_job_runs)
    .groupBy(backup_job_runs.status);
}

/** Each job's id, name, next slot, and its newest run's status and start (null without a run). */
export async function backupJobStates(db: Db) {
  const last = db
    .selectDistinctOn([backup_job_runs.backup_job_id], {
      backup_job_id: backup_job_runs.backup_job_id,
      status: backup_job_runs.status,
      started_at: backup_job_runs.started_at,
    })
    .from(backup_job_runs)
    .orderBy(backup_job_runs.backup_job_id, desc(backup_job_runs.id))
    .as('last');
  return db
    .select({
      id: backup_jobs.id,
      name: backup_jobs.name,
      is_active: backup_jobs.is_active,
      next_run_at: backup_jobs.next_run_at,
      status: last.status,
      started_at: last.started_at,
    })
    .from(backup_jobs)
    .leftJoin(last, sql`${last.backup_job_id} = ${backup_jobs.id}`);
}
