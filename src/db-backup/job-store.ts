/**
 * @module db-backup/job-store: the `db_backup` rows of the durable jobs table: start one unless one is already
 * running (seed 004: a second trigger shows the running backup), find them, and keep the finished backup's
 * name, size and location in the job's `payload.result` for the result card. The queries are src/db/jobs.ts's.
 */
import type { Db } from '../db/client.js';
import { activeJobOfType, getJob, insertJobUnlessActive, mergeJobPayload } from '../db/jobs.js';
import type { JobRow } from '../jobs/types.js';

/** Arbitrary key of the advisory lock that serialises starts across app processes. */
const START_LOCK = 7_245_004;

/** What the result card shows of a finished backup. */
export interface DbBackupResult {
  name: string;
  size_bytes: number;
  /** The directory holding it. */
  location: string;
  sha256: string;
}

/**
 * Enqueues a database backup unless one is PENDING or IN_PROGRESS (under an advisory lock, so that two
 * clicks at once start one backup).
 * @param label what the operations widget names (the database's location).
 * @returns the job to follow and whether it was just created; wake the runner when it was.
 */
export function startDbBackupJob(
  db: Db,
  input: { label: string; createdBy: number | null },
): Promise<{ job: JobRow; created: boolean }> {
  return insertJobUnlessActive(
    db,
    { type: 'db_backup', target_label: input.label, created_by: input.createdBy },
    START_LOCK,
  );
}

/** The `db_backup` job with this id, or null (also for a job of another type). */
export async function getDbBackupJob(db: Db, id: number): Promise<JobRow | null> {
  const job = await getJob(db, id);
  return job?.type === 'db_backup' ? job : null;
}

/** The running (or waiting) database backup, else null. */
export function activeDbBackupJob(db: Db): Promise<JobRow | null> {
  return activeJobOfType(db, 'db_backup');
}

/** Stores the finished backup on its job (`payload.result`), for the result card. */
export function setDbBackupResult(db: Db, id: number, result: DbBackupResult): Promise<void> {
  return mergeJobPayload(db, id, { result });
}

/** The result stored on a finished job, or null. */
export function resultOf(job: JobRow): DbBackupResult | null {
  const result = (job.payload as { result?: DbBackupResult }).result;
  return result && typeof result.name === 'string' ? result : null;
}
