/**
 * @module jobs/recovery: what a runner does for the jobs of dead workers: fails those whose lease expired
 * as interrupted (never leaving them IN_PROGRESS) and runs their type's `cleanupInterrupted` once; and the
 * housekeeping that deletes old finished jobs nothing else refers to.
 */
import { deleteOldJobs, failExpiredJobs } from '../db/jobs.js';
import type { JobType } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import type { JobRow, JobTypeDefinition } from './types.js';

/** The job types a runner handles. */
export type JobDefinitions = Partial<Record<JobType, JobTypeDefinition>>;

/** The types present in a definitions record. */
export function definedTypes(definitions: JobDefinitions): JobType[] {
  return (Object.keys(definitions) as JobType[]).filter((type) => definitions[type]);
}

/**
 * Fails the interrupted jobs of the defined types and runs each one's `cleanupInterrupted` (errors are
 * logged, never thrown: the job is failed either way). Each job is handed to one caller only, so its
 * cleanup runs once across all processes.
 * @param options.ignoreLease also jobs whose lease is still valid (only when this process is alone).
 * @returns the jobs failed by this call.
 * @throws the database error when the jobs could not be read.
 */
export async function recoverInterruptedJobs(
  deps: AppDeps,
  definitions: JobDefinitions,
  options: { ignoreLease?: boolean } = {},
): Promise<JobRow[]> {
  const failed = await failExpiredJobs(deps.db, { types: definedTypes(definitions), ...options });
  for (const job of failed) {
    const log = deps.logger.child({ jobId: job.id, jobType: job.type });
    log.warn({ target: job.target_label, owner: job.lease_owner }, 'job interrupted: its worker stopped');
    const cleanup = definitions[job.type]?.cleanupInterrupted;
    if (!cleanup) continue;
    try {
      await cleanup(job, deps);
    } catch (err) {
      log.error({ err }, 'cleanup of an interrupted job failed');
    }
  }
  return failed;
}

/**
 * Deletes the finished jobs older than `retentionHours` that no history row references (see
 * `deleteOldJobs`). @returns how many were deleted. @throws the database error.
 */
export async function deleteExpiredOperations(deps: AppDeps, retentionHours: number): Promise<number> {
  const deleted = await deleteOldJobs(deps.db, retentionHours);
  if (deleted > 0) deps.logger.info({ deleted, retentionHours }, 'old jobs deleted');
  return deleted;
}
