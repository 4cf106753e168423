/**
 * @module backup-jobs/errors: why a backup job run cannot go on or how it ended badly, as domain errors
 * (src/errors.ts) with a stable code and a catalog message, shown in the reader's language.
 */
import { AppError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';

/** A run that failed (code `vms_failed`, `no_run`, `backup_job_gone`). */
export class BackupJobError extends AppError {
  override name = 'BackupJobError';
  constructor(code: string, key: MessageKey, params?: MessageParams) {
    super(409, code, msg(key, params));
  }
}

/** Whether a database error is a unique violation (SQLSTATE 23505), as postgres-js or PGlite report it. */
export const isUniqueViolation = (err: unknown): boolean =>
  (err as { code?: string })?.code === '23505' ||
  (err as { cause?: { code?: string } })?.cause?.code === '23505';
