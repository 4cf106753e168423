/**
 * @module storage/repository-setup: what saving a storage path does to the repository in its directory.
 * Encrypted: a new directory becomes a repository with the passphrase (`initRepository`); a directory that
 * already holds one is opened with it (a wrong one is refused). The master key is sealed with APP_SECRET
 * (`deps.repositoryKeys`, purpose `repository-keys`) into `repository_key_sealed`, and a new one is handed
 * back once, for the page to show. Plain: an existing plain repository is used as it is (a plain directory
 * becomes a repository on its first backup). Encryption cannot be changed once chosen. The passphrase never
 * leaves this function.
 */
import { sealMasterKey } from '../backup/repository-access.js';
import type { StoragePathRow } from '../db/storage-paths.js';
import type { AppDeps } from '../deps.js';
import { InvalidInputError, invalidField } from '../errors.js';
import { msg } from '../i18n/message.js';
import { initRepository, openRepository, readConfig } from '../repository/config.js';
import { isRepositoryError } from '../repository/errors.js';

/** 400 on the `passphrase` field with the stable code `repository_wrong_passphrase`. */
export class WrongPassphraseError extends InvalidInputError {
  override name = 'WrongPassphraseError';
  override readonly code: string = 'repository_wrong_passphrase';
  constructor() {
    super({ passphrase: [msg('storage.error.wrong_passphrase')] }, msg('storage.error.wrong_passphrase'));
  }
}

/** The repository columns to save, and the master key (hex) of a repository created now (to show once). */
export interface PreparedRepository {
  columns: {
    encrypted: boolean;
    repository_key_sealed?: string | null;
    chunk_count?: number;
    chunk_bytes?: number;
    repository_measured_at?: Date;
  };
  masterKeyHex: string | null;
}

/**
 * Prepares the repository of a storage path being created or updated (see the module doc).
 * @param input the directory, whether to encrypt, and the passphrase (encrypted only).
 * @param current the row being updated (its encryption is kept; a changed one is refused).
 * @throws InvalidInputError on `encrypted` (changed, or the directory's repository is plain) or `passphrase`
 *   (missing); WrongPassphraseError (code `repository_wrong_passphrase`); RepositoryError
 *   `repository_bad_config` for a repository.json we cannot use.
 */
export async function prepareRepository(
  deps: Pick<AppDeps, 'repositoryKeys'>,
  input: { path: string; encrypted: boolean; passphrase?: string },
  current?: StoragePathRow,
): Promise<PreparedRepository> {
  if (current && current.encrypted !== input.encrypted)
    throw invalidField('encrypted', 'storage.error.encryption_fixed');
  if (current && current.path === input.path)
    return { columns: { encrypted: current.encrypted }, masterKeyHex: null };
  const config = await readConfig(input.path).catch((err) => {
    if (isRepositoryError(err, 'repository_not_found')) return null;
    throw err;
  });
  if (!input.encrypted) {
    if (config?.encryption) throw invalidField('encrypted', 'storage.error.repository_encrypted');
    return { columns: { encrypted: false, repository_key_sealed: null }, masterKeyHex: null };
  }
  if (config && !config.encryption) throw invalidField('encrypted', 'storage.error.repository_plain');
  if (input.passphrase === undefined) throw invalidField('passphrase', 'storage.error.passphrase_required');
  if (config) {
    const repo = await openRepository(input.path, { passphrase: input.passphrase }).catch((err) => {
      if (isRepositoryError(err, 'repository_wrong_passphrase')) throw new WrongPassphraseError();
      throw err;
    });
    const master = repo.keys?.master as Buffer;
    return {
      columns: { encrypted: true, repository_key_sealed: sealMasterKey(deps, master) },
      masterKeyHex: null,
    };
  }
  const repo = await initRepository(input.path, { passphrase: input.passphrase });
  const master = repo.keys?.master as Buffer;
  return {
    columns: {
      encrypted: true,
      repository_key_sealed: sealMasterKey(deps, master),
      chunk_count: 0,
      chunk_bytes: 0,
      repository_measured_at: new Date(),
    },
    masterKeyHex: master.toString('hex'),
  };
}
