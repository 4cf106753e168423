/**
 * @module backup/repository-access: opens the repository of a storage path for a backup or a restore. A plain
 * path becomes a repository on its first backup (`initRepository`); an encrypted one opens with its master
 * key, kept sealed with APP_SECRET in `storage_paths.repository_key_sealed` (secret box `repository-keys`,
 * the sealed text being the key in hex), so that scheduled backups run unattended.
 */
import type { StoragePathRow } from '../db/storage-paths.js';
import type { AppDeps } from '../deps.js';
import { initRepository, openRepository, type Repository } from '../repository/config.js';
import { isRepositoryError, RepositoryError } from '../repository/errors.js';

/** Seals a repository master key for `storage_paths.repository_key_sealed`. */
export function sealMasterKey(deps: Pick<AppDeps, 'repositoryKeys'>, master: Buffer): string {
  return deps.repositoryKeys.seal(master.toString('hex'));
}

/**
 * The master key of an encrypted storage path.
 * @throws RepositoryError `repository_passphrase_required` when the row holds no sealed key; AppError
 *   `secret_unreadable` when APP_SECRET changed.
 */
export function unsealMasterKey(deps: Pick<AppDeps, 'repositoryKeys'>, storage: StoragePathRow): Buffer {
  if (!storage.repository_key_sealed) {
    throw new RepositoryError('repository_passphrase_required', { dir: storage.path });
  }
  return Buffer.from(deps.repositoryKeys.open(storage.repository_key_sealed), 'hex');
}

/**
 * Opens the repository of a storage path.
 * @param opts.create make it when `repository.json` is missing (first backup into a plain path); two
 *   backups starting together both end up opening the one that won.
 * @throws RepositoryError (`repository_not_found` without `create`, `repository_bad_config`,
 *   `repository_wrong_passphrase`, `repository_passphrase_required`).
 */
export async function openStorageRepository(
  deps: Pick<AppDeps, 'repositoryKeys'>,
  storage: StoragePathRow,
  opts: { create?: boolean } = {},
): Promise<Repository> {
  if (storage.encrypted) {
    return openRepository(storage.path, { masterKey: unsealMasterKey(deps, storage) });
  }
  try {
    return await openRepository(storage.path, {});
  } catch (err) {
    if (!opts.create || !isRepositoryError(err, 'repository_not_found')) throw err;
  }
  try {
    return await initRepository(storage.path, {});
  } catch (err) {
    if (!isRepositoryError(err, 'repository_exists')) throw err;
    return openRepository(storage.path, {});
  }
}
