/**
 * @module db/backup-jobs: backup job rows: list, get, insert, update, delete, the due ones, and the claim of
 * a schedule slot (a conditional UPDATE of `next_run_at` that only one app process sees succeed, and only
 * while the job has no run `running`: a slot that finds the job running waits for that run to end).
 */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { backup_jobs } from './schema.js';

export type BackupJobRow = typeof backup_jobs.$inferSelect;
export type BackupJobValues = Omit<typeof backup_jobs.$inferInsert, 'id' | 'created_at' | 'updated_at'>;

/** Every backup job, by name. */
export async function listBackupJobs(db: Db): Promise<BackupJobRow[]> {
  return db.select().from(backup_jobs).orderBy(asc(backup_jobs.name), asc(backup_jobs.id));
}

/** One backup job, or null. */
export async function getBackupJob(db: Db, id: number): Promise<BackupJobRow | null> {
  const [row] = await db.select().from(backup_jobs).where(eq(backup_jobs.id, id));
  return row ?? null;
}

/** The backup job of that name, or null. */
export async function getBackupJobByName(db: Db, name: string): Promise<BackupJobRow | null> {
  const [row] = await db.select().from(backup_jobs).where(eq(backup_jobs.name, name));
  return row ?? null;
}

/** Inserts a backup job. @returns the row. @throws the unique violation of `name` (callers check first). */
export async function insertBackupJob(db: Db, values: BackupJobValues): Promise<BackupJobRow> {
  const [row] = await db.insert(backup_jobs).values(values).returning();
  return row as BackupJobRow;
}

/** Replaces a backup job's settings. @returns the row, or null when it is gone. */
export async function updateBackupJob(
  db: Db,
  id: number,
  values: Partial<BackupJobValues>,
): Promise<BackupJobRow | null> {
  const [row] = await db
    .update(backup_jobs)
    .set({ ...values, updated_at: sql`now()` })
    .where(eq(backup_jobs.id, id))
    .returning();
  return row ?? null;
}

/**
 * Deletes a backup job with its runs and their VM lines (restore points stay), unless a run is running.
 * @returns false when a run is running (nothing deleted).
 */
export async function deleteBackupJob(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(backup_jobs)
    .where(
      and(
        eq(backup_jobs.id, id),
        sql`not exists (select 1 from backup_job_runs r where r.backup_job_id = ${id} and r.status = 'running')`,
      ),
    )
    .returning({ id: backup_jobs.id });
  return rows.length === 1;
}

/** Active scheduled jobs whose `next_run_at` has passed. */
export async function dueBackupJobs(db: Db, now: Date): Promise<BackupJobRow[]> {
  return db
    .select()
    .from(backup_jobs)
    .where(and(eq(backup_jobs.is_active, true), lte(backup_jobs.next_run_at, now)))
    .orderBy(asc(backup_jobs.next_run_at));
}

/**
 * Claims the slot `seen.next_run_at`: moves `next_run_at` to `next` and `last_run_at` to `now` only if the row
 * still holds the slot this process read, is active, and has no run `running`.
 * @returns true for the one caller whose UPDATE changed the row.
 */
export async function claimBackupJobSlot(
  db: Db,
  seen: BackupJobRow,
  now: Date,
  next: Date | null,
): Promise<boolean> {
  if (!seen.next_run_at) return false;
  const rows = await db
    .update(backup_jobs)
    .set({ next_run_at: next, last_run_at: now })
    .where(
      and(
        eq(backup_jobs.id, seen.id),
        eq(backup_jobs.is_active, true),
        eq(backup_jobs.next_run_at, seen.next_run_at),
        sql`not exists (select 1 from backup_job_runs r where r.backup_job_id = ${seen.id} and r.status = 'running')`,
      ),
    )
    .returning({ id: backup_jobs.id });
  return rows.length === 1;
}

/** Records a manual run's start as the job's last run. */
export async function touchLastRun(db: Db, id: number, now: Date): Promise<void> {
  await db.update(backup_jobs).set({ last_run_at: now }).where(eq(backup_jobs.id, id));
}
