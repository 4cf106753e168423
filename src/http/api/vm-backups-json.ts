/**
 * @module http/api/vm-backups-json: the API's JSON of a VM backup and of a restore, built here only: the
 * row with its job's state, the job's `step` and `error` rendered in the request's language, and
 * `error_code`, the stable code of the error (`no_space`, `corrupt_backup`, `Unreachable`, ...).
 */
import type { BackupListItem, RestoreListItem } from '../../db/backups.js';
import type { Translate } from '../../i18n/translate.js';
import { errorJson } from './operations-json.js';

/**
 * A backup as `/api/vm-backups/` answers it. The index file's path stays internal (`backup_dir` names the
 * restore point's folder of indexes).
 */
export function backupJson(t: Translate, backup: BackupListItem) {
  const { index_path: _index, ...shown } = backup;
  return { ...shown, step: t.stored(backup.step), ...errorJson(t, backup.error) };
}

/** A restore as `/api/restores/` answers it. */
export function restoreJson(t: Translate, restore: RestoreListItem) {
  return { ...restore, step: t.stored(restore.step), ...errorJson(t, restore.error) };
}
