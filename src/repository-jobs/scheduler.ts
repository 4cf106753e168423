/**
 * @module repository-jobs/scheduler: the weekly verify (REPOSITORY_VERIFY_INTERVAL_DAYS, default 7; 0 = off).
 * Every hour, each active storage path holding a repository whose last verify is older than the interval
 * (or that was never verified) gets a `repository_verify` job, unless one is active or was queued within the
 * interval (a failing verify is retried once per interval, not every pass). The check and the insert run
 * under one advisory lock (src/db/repository-jobs.ts), so a due verify is queued once even with several app
 * processes.
 */
import { listStoragePaths } from '../db/storage-paths.js';
import type { AppDeps } from '../deps.js';
import { isRepository, startRepositoryJob } from './start.js';

const DAY_MS = 86_400_000;
/** Seconds between two passes. */
export const REPOSITORY_SCHEDULER_PASS_SECONDS = 3600;

/**
 * One pass (see the module doc).
 * @returns the ids of the jobs queued. @throws the database error when storage paths cannot be read.
 */
export async function scheduleDueVerifies(deps: AppDeps, now = new Date()): Promise<number[]> {
  const days = deps.config.repositoryVerifyIntervalDays;
  if (days <= 0) return [];
  const since = new Date(now.getTime() - days * DAY_MS);
  const queued: number[] = [];
  for (const storage of await listStoragePaths(deps.db)) {
    if (!storage.is_active || !isRepository(storage)) continue;
    if (storage.last_verified_at && storage.last_verified_at > since) continue;
    try {
      const job = await startRepositoryJob(deps, storage, 'repository_verify', null, {
        unlessCreatedSince: since,
      });
      if (job) queued.push(job.id);
    } catch (err) {
      if ((err as { code?: string }).code !== 'repository_job_active') throw err;
    }
  }
  if (queued.length) deps.logger.info({ jobs: queued }, 'scheduled repository verifies queued');
  return queued;
}

/**
 * Starts the scheduler (first pass after a minute, then hourly); off when the interval is 0.
 * @returns a function that stops it. Errors are logged, never thrown; passes never overlap.
 */
export function startRepositoryVerifyScheduler(
  deps: AppDeps,
  passSeconds = REPOSITORY_SCHEDULER_PASS_SECONDS,
): () => void {
  if (deps.config.repositoryVerifyIntervalDays <= 0 || passSeconds <= 0) return () => {};
  let busy = false;
  const pass = () => {
    if (busy) return;
    busy = true;
    scheduleDueVerifies(deps)
      .catch((err) => deps.logger.error({ err }, 'repository verify scheduler failed'))
      .finally(() => {
        busy = false;
      });
  };
  const first = setTimeout(pass, Math.min(60, passSeconds) * 1000);
  const timer = setInterval(pass, passSeconds * 1000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
