/**
 * @module surebackup/errors: why a verification failed (no backup, no test network, no boot...), as a domain
 * error with a stable code. The job stores its message and code (`error_message`, the job's `error`); the API
 * shows the message in the reader's language and the code as `error_code`.
 */
import { AppError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';

/** A verification that cannot go on (status 409: the backup or host is not in a state to verify). */
export class VerificationFailed extends AppError {
  override name = 'VerificationFailed';
  /**
   * @param code stable code, e.g. `nic_not_isolated`, `not_booted`.
   * @param key the catalog key of the reason, with its parameters.
   */
  constructor(code: string, key: MessageKey, params?: MessageParams) {
    super(409, code, msg(key, params));
  }
}
