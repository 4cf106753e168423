/**
 * @module db/metrics-jobs: the aggregate query behind the Prometheus job-queue family (src/metrics/jobs.ts),
 * over the durable `jobs` table that every app process sharing the database uses.
 */
import { count, inArray, max } from 'drizzle-orm';
import type { Db } from './client.js';
import { type JobStatus, type JobType, jobs } from './schema.js';

/** The jobs of one type in one status. */
export interface JobGroup {
  type: JobType;
  /** PENDING, IN_PROGRESS or COMPLETED. */
  status: JobStatus;
  /** How many jobs. */
  n: number;
  /** The latest `finished_at` of these jobs (null when none has one, e.g. PENDING). */
  last: Date | null;
}

/**
 * Counts the PENDING, IN_PROGRESS and COMPLETED jobs by type and status, with the latest end of each group:
 * one row per (type, status) that has at least one job. One grouped query.
 */
export async function jobQueueByTypeAndStatus(db: Db): Promise<JobGroup[]> {
  return db
    .select({ type: jobs.type, status: jobs.status, n: count(), last: max(jobs.finished_at) })
    .from(jobs)
    .where(inArray(jobs.status, ['PENDING', 'IN_PROGRESS', 'COMPLETED']))
    .groupBy(jobs.type, jobs.status);
}
