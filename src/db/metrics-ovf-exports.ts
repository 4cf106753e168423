/**
 * @module db/metrics-ovf-exports: the aggregate query behind the OVF exports and imports families
 * (src/metrics/ovf-exports.ts), read from their jobs (one job per export or import; its status is theirs).
 */
import { count, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { type JobStatus, jobs } from './schema.js';

/** Counts the jobs of one OVF type by status: one row per status that has one (one grouped query). */
export async function ovfJobCountsByStatus(
  db: Db,
  type: 'ovf_export' | 'ovf_import',
): Promise<Array<{ status: JobStatus; n: number }>> {
  return db
    .select({ status: jobs.status, n: count() })
    .from(jobs)
    .where(eq(jobs.type, type))
    .groupBy(jobs.status);
}
