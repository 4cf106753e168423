/**
 * @module db/backup-job-runs: runs of backup jobs and their VM lines. A run row is created with its
 * `backup_job` job in one transaction (src/backup-jobs/start.ts); the unique partial index
 * `backup_job_runs_one_running_idx` makes a second `running` run of one job impossible.
 */
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { type Listed, type ListWindow, listIn } from './list-window.js';
import {
  type BackupJobRunStatus,
  type BackupJobVmStatus,
  backup_job_run_vms,
  backup_job_runs,
  backup_jobs,
  jobs,
} from './schema.js';

export type BackupJobRunRow = typeof backup_job_runs.$inferSelect;
export type RunVmRow = typeof backup_job_run_vms.$inferSelect;

const runSelect = (db: Db) =>
  db
    .select({
      run: backup_job_runs,
      backup_job_name: backup_jobs.name,
      progress: jobs.progress,
      step: jobs.step,
    })
    .from(backup_job_runs)
    .innerJoin(backup_jobs, eq(backup_jobs.id, backup_job_runs.backup_job_id))
    .leftJoin(jobs, eq(jobs.id, backup_job_runs.job_id));

type RunJoin = Awaited<ReturnType<ReturnType<typeof runSelect>['execute']>>[number];
const flatten = (r: RunJoin) => ({
  ...r.run,
  backup_job_name: r.backup_job_name,
  progress: r.run.status === 'running' ? (r.progress ?? 0) : 100,
  step: r.step ?? '',
});
/** A run with its job's name and its progress (percent) and step (stored message). */
export type RunListItem = ReturnType<typeof flatten>;

/** Runs, newest first. */
export async function listRuns(
  db: Db,
  filter: { backup_job?: number | undefined; status?: BackupJobRunStatus | undefined } = {},
  window?: ListWindow,
): Promise<Listed<RunListItem>> {
  const where: SQL[] = [];
  if (filter.backup_job) where.push(eq(backup_job_runs.backup_job_id, filter.backup_job));
  if (filter.status) where.push(eq(backup_job_runs.status, filter.status));
  const { rows, count } = await listIn(
    db,
    () =>
      runSelect(db)
        .where(and(...where))
        .orderBy(desc(backup_job_runs.id))
        .$dynamic(),
    window,
  );
  return { rows: rows.map(flatten), count };
}

/** One run, or null. */
export async function getRun(db: Db, id: number): Promise<RunListItem | null> {
  const [row] = await runSelect(db).where(eq(backup_job_runs.id, id));
  return row ? flatten(row) : null;
}

/** The run a `backup_job` job drives, or null. */
export async function getRunByJob(db: Db, jobId: number): Promise<BackupJobRunRow | null> {
  const [row] = await db.select().from(backup_job_runs).where(eq(backup_job_runs.job_id, jobId));
  return row ?? null;
}

/** The newest run of each of these backup jobs. */
export async function lastRuns(db: Db, jobIds: number[]): Promise<Map<number, BackupJobRunRow>> {
  if (jobIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([backup_job_runs.backup_job_id])
    .from(backup_job_runs)
    .where(inArray(backup_job_runs.backup_job_id, jobIds))
    .orderBy(backup_job_runs.backup_job_id, desc(backup_job_runs.id));
  return new Map(rows.map((r) => [r.backup_job_id, r]));
}

/** Ends a run still `running`. @returns false when it had ended already. */
export async function finishRun(
  db: Db,
  id: number,
  status: Exclude<BackupJobRunStatus, 'running'>,
  error: string | null = null,
): Promise<boolean> {
  const rows = await db
    .update(backup_job_runs)
    .set({ status, error, finished_at: sql`now()` })
    .where(and(eq(backup_job_runs.id, id), eq(backup_job_runs.status, 'running')))
    .returning({ id: backup_job_runs.id });
  return rows.length === 1;
}

/** Adds the VM lines of a run. @returns them, in the order given. */
export async function insertRunVms(
  db: Db,
  runId: number,
  lines: Array<{
    virtual_machine_id: number;
    vm_name: string;
    status?: BackupJobVmStatus;
    error?: string | null;
  }>,
): Promise<RunVmRow[]> {
  if (lines.length === 0) return [];
  return db
    .insert(backup_job_run_vms)
    .values(lines.map((l) => ({ ...l, run_id: runId })))
    .returning();
}

/** A VM line with the progress (percent) of its running attempt's job, null when none runs. */
export type RunVmLine = RunVmRow & { progress: number | null };

/** The VM lines of a run, in selection order. */
export async function listRunVms(db: Db, runId: number): Promise<RunVmLine[]> {
  const rows = await db
    .select({ line: backup_job_run_vms, progress: jobs.progress })
    .from(backup_job_run_vms)
    .leftJoin(jobs, eq(jobs.id, backup_job_run_vms.vm_job_id))
    .where(eq(backup_job_run_vms.run_id, runId))
    .orderBy(backup_job_run_vms.id);
  return rows.map((r) => ({ ...r.line, progress: r.line.status === 'running' ? (r.progress ?? 0) : null }));
}

/** Changes a VM line. */
export async function updateRunVm(
  db: Db,
  id: number,
  values: Partial<Omit<RunVmRow, 'id' | 'run_id'>>,
): Promise<void> {
  await db.update(backup_job_run_vms).set(values).where(eq(backup_job_run_vms.id, id));
}

/** Ends the lines of a run still `pending` or `running` with that status and error. */
export async function closeOpenRunVms(
  db: Db,
  runId: number,
  status: BackupJobVmStatus,
  error: string | null,
): Promise<void> {
  await db
    .update(backup_job_run_vms)
    .set({ status, error, finished_at: sql`now()` })
    .where(
      and(eq(backup_job_run_vms.run_id, runId), inArray(backup_job_run_vms.status, ['pending', 'running'])),
    );
}
