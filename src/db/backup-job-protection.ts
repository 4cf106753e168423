/**
 * @module db/backup-job-protection: what the protection view reads: each VM's newest good restore point (a
 * COMPLETED backup not found corrupt) and the durations of each job's recent ended runs.
 */
import { and, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { backup_job_runs, jobs, vm_backups } from './schema.js';

/** The newest good restore point's time (its backup's start) per VM id. */
export async function lastGoodRestorePoints(db: Db): Promise<Map<number, Date>> {
  const rows = await db
    .selectDistinctOn([vm_backups.virtual_machine_id], {
      vm: vm_backups.virtual_machine_id,
      at: vm_backups.created_at,
    })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .where(
      and(
        eq(jobs.status, 'COMPLETED'),
        isNotNull(vm_backups.backup_dir),
        isNotNull(vm_backups.virtual_machine_id),
        ne(vm_backups.verification_state, 'corrupt'),
      ),
    )
    .orderBy(vm_backups.virtual_machine_id, desc(vm_backups.created_at));
  return new Map(rows.map((r) => [r.vm as number, r.at]));
}

/** Durations in seconds of up to `limit` newest ended `success`/`warning` runs per backup job. */
export async function recentRunDurations(
  db: Db,
  jobIds: number[],
  limit = 5,
): Promise<Map<number, number[]>> {
  if (jobIds.length === 0) return new Map();
  const rows = await db
    .select({
      job: backup_job_runs.backup_job_id,
      seconds: sql<number>`extract(epoch from ${backup_job_runs.finished_at} - ${backup_job_runs.started_at})::float8`,
    })
    .from(backup_job_runs)
    .where(
      and(
        inArray(backup_job_runs.backup_job_id, jobIds),
        inArray(backup_job_runs.status, ['success', 'warning']),
        isNotNull(backup_job_runs.finished_at),
      ),
    )
    .orderBy(desc(backup_job_runs.id));
  const byJob = new Map<number, number[]>();
  for (const r of rows) {
    const list = byJob.get(r.job) ?? [];
    if (list.length < limit) list.push(Number(r.seconds));
    byJob.set(r.job, list);
  }
  return byJob;
}
