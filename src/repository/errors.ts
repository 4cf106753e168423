/**
 * @module repository/errors: why a repository cannot be opened or read: no repository.json, a config we do
 * not understand, a wrong or missing passphrase, a chunk, an index or a whole file that no longer matches
 * its digest. Domain errors (src/errors.ts) with a stable code and a catalog message
 * (`repository.error.<code>`, src/i18n/catalog/repository.ts); `Error.message` stays English, for logs and
 * the CLI.
 */
import { AppError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';

/** Stable codes of RepositoryError, with the HTTP status an API request meeting them answers. */
const STATUS = {
  /** params: dir. */
  repository_not_found: 404,
  /** params: dir, detail. */
  repository_bad_config: 500,
  /** params: dir (initRepository on a directory that already holds repository.json). */
  repository_exists: 409,
  /** params: dir. */
  repository_wrong_passphrase: 400,
  /** params: dir. */
  repository_passphrase_required: 400,
  /** params: digest, file (the restore point's file, or the chunk file `.chunks/xxxx/<digest>`). */
  chunk_corrupt: 500,
  /** params: file (the index path), detail. */
  index_corrupt: 500,
  /** params: file (the restore point's file name). */
  file_corrupt: 500,
} as const;

export type RepositoryErrorCode = keyof typeof STATUS;

/**
 * A repository that cannot be opened, or content that does not match its digest.
 * @example throw new RepositoryError('chunk_corrupt', { digest, file: 'disk1-flat.vmdk' }, 'tag mismatch')
 */
export class RepositoryError extends AppError {
  override name = 'RepositoryError';
  declare readonly code: RepositoryErrorCode;

  /**
   * @param code stable code (see STATUS above for the parameters each message takes).
   * @param params the message's parameters.
   * @param reason what exactly failed, in English, for logs only (e.g. `GCM tag mismatch`).
   */
  constructor(
    code: RepositoryErrorCode,
    params: MessageParams,
    readonly reason?: string,
    options?: { cause?: unknown },
  ) {
    super(STATUS[code], code, msg(`repository.error.${code}`, params), undefined, undefined, options);
    if (reason) this.message = `${this.message} (${reason})`;
  }
}

/** Whether a thrown value is a RepositoryError with one of `codes`. */
export function isRepositoryError(err: unknown, ...codes: RepositoryErrorCode[]): err is RepositoryError {
  return err instanceof RepositoryError && (codes.length === 0 || codes.includes(err.code));
}
