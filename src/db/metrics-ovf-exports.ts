/**
 * @module db/metrics-ovf-exports: the aggregate query behind the OVF exports family
 * (src/metrics/ovf-exports.ts), read from the `ovf_export` jobs (one job per export; its status is the export's).
 */
import { count, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { type JobStatus, jobs } from './schema.js';

/** Counts the `ovf_export` jobs by status: one row per status that has one (one grouped query). */
export async function ovfExportCountsByStatus(db: Db): Promise<Array<{ status: JobStatus; n: number }>> {
  return db
    .select({ status: jobs.status, n: count() })
    .from(jobs)
    .where(eq(jobs.type, 'ovf_export'))
    .groupBy(jobs.status);
}
