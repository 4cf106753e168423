/**
 * @module repository-jobs/start: starting a verify or a garbage collection of a storage path's repository,
 * on demand (API, page) or by the scheduler. One job of each type per storage path at a time.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { insertRepositoryJobUnlessActive } from '../db/repository-jobs.js';
import type { StoragePathRow } from '../db/storage-paths.js';
import type { AppDeps } from '../deps.js';
import { ConflictError } from '../errors.js';
import { msg } from '../i18n/message.js';
import type { JobRow } from '../jobs/types.js';
import { CONFIG_FILE } from '../repository/format.js';

export type RepositoryJobType = 'repository_verify' | 'repository_gc';

/** Whether the storage path's directory holds a repository (its repository.json exists). */
export function isRepository(storage: Pick<StoragePathRow, 'path'>): boolean {
  return existsSync(path.join(storage.path, CONFIG_FILE));
}

/**
 * Queues a verify or a GC of the storage path's repository and wakes the runner.
 * @param opts.unlessCreatedSince (scheduler) queue nothing when a verify was queued since then.
 * @returns the new job, or null when refused by `unlessCreatedSince`.
 * @throws ConflictError (409) `not_a_repository` when the directory holds no repository yet,
 *   `repository_job_active` when one of that type is already queued or running on it (`operation` = its id).
 */
export async function startRepositoryJob(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  storage: StoragePathRow,
  type: RepositoryJobType,
  createdBy: number | null,
  opts: { unlessCreatedSince?: Date } = {},
): Promise<JobRow | null> {
  if (!isRepository(storage)) {
    throw new ConflictError(
      'not_a_repository',
      msg('storage.error.not_a_repository', { name: storage.name }),
    );
  }
  const { job, created } = await insertRepositoryJobUnlessActive(
    deps.db,
    { type, target_label: storage.name, created_by: createdBy },
    storage.id,
    opts,
  );
  if (!job) return null;
  if (!created) {
    throw new ConflictError(
      'repository_job_active',
      msg('storage.error.job_active', { type: msg(`operations.type.${type}`) }),
      { operation: job.id },
    );
  }
  deps.jobs?.wake();
  return job;
}
