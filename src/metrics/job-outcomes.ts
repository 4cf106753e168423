/**
 * @module metrics/job-outcomes: durations and bytes of the jobs THIS process finished, observed when the job
 * runner records a job's outcome (`onJobFinished`): `esxi_backup_duration_seconds{status}`,
 * `esxi_replication_duration_seconds{status}`, ... histograms and `esxi_backup_bytes_total`, ... counters.
 *
 * Several app processes: each job's outcome is recorded by exactly one process (the lease owner whose
 * conditional finish succeeded), which observes it once; so every process must be scraped as its own target
 * and these families summed across instances (`sum without (instance)`). Jobs failed as interrupted after
 * their process died are not observed (that process' counters died with it; Prometheus sees the reset).
 * Durations come from the job row's `started_at` and `finished_at`, both written with the database's clock.
 */

import { Counter, Histogram, type Registry } from 'prom-client';
import type { FinishedStatus } from '../db/jobs.js';
import { getJob } from '../db/jobs.js';
import type { JobType } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import type { JobRow } from '../jobs/types.js';

/** Buckets in seconds, from ten seconds to eight hours (full VM copies are long). */
const LONG_BUCKETS = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 28_800];
/** Buckets in seconds, from one second to an hour (failovers, verifications: boot and checks). */
const SHORT_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 3600];

/** Metric name prefix and buckets per observed job type; types left out are not observed. */
const OBSERVED: Partial<
  Record<JobType, { prefix: string; what: string; buckets: number[]; bytes: boolean }>
> = {
  vm_backup: { prefix: 'esxi_backup', what: 'VM backup jobs', buckets: LONG_BUCKETS, bytes: true },
  restore: { prefix: 'esxi_restore', what: 'restore jobs', buckets: LONG_BUCKETS, bytes: true },
  replication: { prefix: 'esxi_replication', what: 'replication jobs', buckets: LONG_BUCKETS, bytes: true },
  failover: { prefix: 'esxi_failover', what: 'failover jobs', buckets: SHORT_BUCKETS, bytes: false },
  verification: {
    prefix: 'esxi_verification',
    what: 'verification jobs',
    buckets: SHORT_BUCKETS,
    bytes: false,
  },
  db_backup: { prefix: 'esxi_db_backup', what: 'database backup jobs', buckets: SHORT_BUCKETS, bytes: true },
};

const STATUSES = ['completed', 'failed', 'cancelled'] as const;

/**
 * Registers the job outcome metrics on `registry`.
 * @returns `observe(job, status)`: the runner's finish hook. It reads the finished row once (for its end
 *   time and bytes) and never throws; a read error is logged.
 */
export function createJobOutcomeMetrics(registry: Registry, deps: Pick<AppDeps, 'db' | 'logger'>) {
  const durations = new Map<JobType, Histogram<'status'>>();
  const bytes = new Map<JobType, Counter>();
  for (const [type, spec] of Object.entries(OBSERVED) as [
    JobType,
    NonNullable<(typeof OBSERVED)[JobType]>,
  ][]) {
    const histogram = new Histogram({
      name: `${spec.prefix}_duration_seconds`,
      help: `Duration in seconds of the ${spec.what} this process finished, by outcome.`,
      labelNames: ['status'],
      buckets: spec.buckets,
      registers: [registry],
    });
    for (const status of STATUSES) histogram.zero({ status });
    durations.set(type, histogram);
    if (spec.bytes) {
      const counter = new Counter({
        name: `${spec.prefix}_bytes_total`,
        help: `Bytes transferred by the ${spec.what} this process finished (whatever their outcome).`,
        registers: [registry],
      });
      bytes.set(type, counter);
    }
  }

  /** Records one finished job: duration in seconds, bytes transferred. */
  const record = (row: JobRow, status: FinishedStatus) => {
    const histogram = durations.get(row.type);
    if (histogram && row.started_at && row.finished_at) {
      const seconds = (row.finished_at.getTime() - row.started_at.getTime()) / 1000;
      histogram.observe({ status: status.toLowerCase() }, Math.max(0, seconds));
    }
    if (row.bytes_done > 0) bytes.get(row.type)?.inc(row.bytes_done);
  };

  return {
    record,
    /** The job runner's `onJobFinished` hook. */
    observe(job: JobRow, status: FinishedStatus): void {
      if (!durations.has(job.type)) return;
      getJob(deps.db, job.id)
        .then((row) => {
          if (row) record(row, status);
        })
        .catch((err) => deps.logger.warn({ err, jobId: job.id }, 'job metrics not recorded'));
    },
  };
}
