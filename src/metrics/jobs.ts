/**
 * @module metrics/jobs: the durable job queue across every app process sharing the database: jobs queued
 * (PENDING) and running (IN_PROGRESS) by job type, and per type the end of the last completed job
 * (`esxi_job_last_success_timestamp_seconds{type}`, 0 while none completed: database backups, replications
 * and verifications read 0 until their features run). Every job type has a series. One aggregate query.
 */
import type { Db } from '../db/client.js';
import { jobQueueByTypeAndStatus } from '../db/metrics-jobs.js';
import { JOB_TYPES } from '../db/schema.js';
import { type Collector, createFamily, unixSeconds } from './collector.js';

/** The job queue's collector. */
export function jobsCollector(): Collector {
  const family = createFamily();
  const queued = family.gauge('esxi_jobs_queued', 'Jobs waiting to run (PENDING), by job type.', ['type']);
  const running = family.gauge('esxi_jobs_running', 'Jobs running now (IN_PROGRESS), by job type.', ['type']);
  const lastSuccess = family.gauge(
    'esxi_job_last_success_timestamp_seconds',
    'Unix time in seconds at which the last completed job of the type ended; 0 while none completed.',
    ['type'],
  );

  return {
    name: 'jobs',
    metrics: family.metrics,
    async update(db: Db) {
      const rows = await jobQueueByTypeAndStatus(db);
      for (const type of JOB_TYPES) {
        queued.set({ type }, 0);
        running.set({ type }, 0);
        lastSuccess.set({ type }, 0);
      }
      for (const row of rows) {
        if (row.status === 'PENDING') queued.set({ type: row.type }, Number(row.n));
        else if (row.status === 'IN_PROGRESS') running.set({ type: row.type }, Number(row.n));
        else lastSuccess.set({ type: row.type }, unixSeconds(row.last));
      }
    },
  };
}
