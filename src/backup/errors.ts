/**
 * @module backup/errors: why a backup or a restore cannot go on (no free space, the VM gone from the
 * inventory, a corrupt backup, a name already taken on the host). Each is a domain error (src/errors.ts)
 * with a stable code and a catalog message: the job that throws it fails with that message, shown in the
 * reader's language.
 */
import { AppError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';

/** A backup or restore that cannot go on; 409 when an API request meets it. */
export class BackupError extends AppError {
  override name = 'BackupError';
  /**
   * @param code stable code, e.g. `no_space`, `vm_gone`, `vm_exists`.
   * @param key the catalog message (src/i18n/catalog/backups.ts) and its parameters.
   */
  constructor(code: string, key: MessageKey, params?: MessageParams) {
    super(409, code, msg(key, params));
  }
}

/** A backup whose content no longer matches what was recorded (code `corrupt_backup`); the message names the file. */
export class CorruptBackupError extends BackupError {
  override name = 'CorruptBackupError';
  constructor(key: MessageKey, params?: MessageParams) {
    super('corrupt_backup', key, params);
  }
}
