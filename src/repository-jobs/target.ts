/**
 * @module repository-jobs/target: the storage path a repository job works on (`payload.storage_path_id`)
 * and its open repository.
 */
import { openStorageRepository } from '../backup/repository-access.js';
import { getStoragePath, type StoragePathRow } from '../db/storage-paths.js';
import type { AppDeps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import type { JobRow } from '../jobs/types.js';
import type { Repository } from '../repository/config.js';

/**
 * The job's storage path and its repository (opened with the sealed master key when encrypted).
 * @throws NotFoundError when the storage path was deleted; RepositoryError when the directory holds no
 *   repository or it cannot be opened.
 */
export async function jobRepository(
  deps: AppDeps,
  job: JobRow,
): Promise<{ storage: StoragePathRow; repo: Repository }> {
  const id = Number(job.payload.storage_path_id);
  const storage = Number.isInteger(id) ? await getStoragePath(deps.db, id) : null;
  if (!storage) throw new NotFoundError();
  return { storage, repo: await openStorageRepository(deps, storage) };
}
