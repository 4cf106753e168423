/** @module ovf/errors: the error of an OVF export that cannot go on (HTTP 409 when a request meets it). */
import { AppError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';

/** An export refused or failed for a reason the user can act on; `code` is stable (`backup_unavailable`...). */
export class OvfError extends AppError {
  override name = 'OvfError';
  /** @param key a message of src/i18n/catalog/ovf.ts and its parameters. */
  constructor(code: string, key: MessageKey, params?: MessageParams) {
    super(409, code, msg(key, params));
  }
}
