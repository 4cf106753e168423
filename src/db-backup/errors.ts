/**
 * @module db-backup/errors: why a database backup failed (pg_dump missing or too old, a backup directory
 * that cannot be written, pg_dump's own error, an integrity mismatch): domain errors (src/errors.ts) with a
 * stable code and a catalog message (`dbbackup.error.*`), so that the job's error shows in the reader's
 * language. `Error.message` stays English, for the CLI and the logs.
 */
import { AppError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';

/** A database backup that cannot be made on this server (its set-up or its database): 500. */
export class DbBackupError extends AppError {
  override name = 'DbBackupError';
  /**
   * @param code stable code, e.g. `pg_dump_not_found`, `backup_dir_not_writable`.
   * @param key the catalog message (src/i18n/catalog/db-backup.ts) and its parameters.
   */
  constructor(code: string, key: MessageKey, params?: MessageParams) {
    super(500, code, msg(key, params));
  }
}
