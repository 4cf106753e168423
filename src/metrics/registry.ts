/**
 * @module metrics/registry: the app's Prometheus metrics on its OWN prom-client registry (never the global
 * one, so that several apps in one process, as in tests, do not mix): the database families computed at
 * scrape time (backups, replications, verifications, datastores, infrastructure, jobs), the per-process
 * families (HTTP request durations, durations and bytes of the jobs this process finished, bytes the backups
 * read by mode) and, when asked,
 * prom-client's default process metrics (CPU, memory, event loop; `process_*`, `nodejs_*`).
 *
 * Several app processes: the database families are installation-wide (every process reports the same
 * values: aggregate them with `max without (instance)`), the per-process ones are summed across
 * instances; Prometheus scrapes each process as its own target.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1
 */
import type { MiddlewareHandler } from 'hono';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { AppDeps } from '../deps.js';
import type { JobFinishedHook } from '../jobs/execute.js';
import { backupJobsCollector } from './backup-jobs.js';
import { createBackupReadMetrics } from './backup-reads.js';
import { backupsCollector } from './backups.js';
import type { Collector } from './collector.js';
import { datastoresCollector } from './datastores.js';
import { createHttpMetrics } from './http.js';
import { infrastructureCollector } from './infrastructure.js';
import { createJobOutcomeMetrics } from './job-outcomes.js';
import { jobsCollector } from './jobs.js';
import { notificationsCollector } from './notifications.js';
import { ovfExportsCollector, ovfImportsCollector } from './ovf-exports.js';
import { replicationsCollector } from './replications.js';
import { repositoriesCollector } from './repositories.js';
import { createScrape } from './scrape.js';
import { verificationsCollector } from './verifications.js';
import { vmProtectionCollector } from './vm-protection.js';

const NODEJS_TOTAL_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** The app's metrics. */
export interface Metrics {
  readonly registry: Registry;
  /** `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  /** Computes the database families and renders every metric in the Prometheus text format. */
  scrape(): Promise<string>;
  /** The job runner's `onJobFinished` option: observes durations and bytes of the jobs this process ends. */
  jobFinished: JobFinishedHook;
  /** Times every request (install first). */
  httpMiddleware: MiddlewareHandler;
}

export interface MetricsOptions {
  /** Also expose prom-client's default process metrics (the server process; off in tests). */
  processMetrics?: boolean;
}

/** The database families, one collector each. */
export function databaseCollectors(): Collector[] {
  return [
    backupsCollector(),
    replicationsCollector(),
    verificationsCollector(),
    datastoresCollector(),
    infrastructureCollector(),
    repositoriesCollector(),
    jobsCollector(),
    backupJobsCollector(),
    notificationsCollector(),
    vmProtectionCollector(),
    ovfExportsCollector(),
    ovfImportsCollector(),
  ];
}

/**
 * Creates the app's registry and its metrics.
 * @param deps the database the families read, the logger for collector errors.
 */
export function createMetrics(deps: Pick<AppDeps, 'db' | 'logger'>, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) {
    collectDefaultMetrics({ register: registry });
    // gauges named like counters (promtool rejects them); `nodejs_active_handles{type}` etc. remain
    for (const name of NODEJS_TOTAL_GAUGES) registry.removeSingleMetric(name);
  }
  const outcomes = createJobOutcomeMetrics(registry, deps);
  const reads = createBackupReadMetrics(registry, deps);
  const httpMiddleware = createHttpMetrics(registry);
  const scrape = createScrape(registry, deps.db, databaseCollectors(), deps.logger);
  return {
    registry,
    contentType: registry.contentType,
    scrape,
    jobFinished: (job, status) => {
      outcomes.observe(job, status);
      reads.observe(job);
    },
    httpMiddleware,
  };
}
