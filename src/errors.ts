/**
 * @module errors: the one family of domain errors. Each carries its HTTP status, a stable `code` for scripts,
 * the message (catalog key and parameters) shown in the reader's language, and, for bad input, messages per
 * field. Layers below HTTP throw them; `http/errors.tsx` turns them into the common error answer in one place:
 * `{ "status": 404, "code": "not_found", "message": "…", "errors": { "port": ["…"] } }`.
 * `Error.message` is the English text, for logs only.
 */
import { type Message, type MessageParams, msg } from './i18n/message.js';
import type { MessageKey } from './i18n/messages.js';
import { translator } from './i18n/translate.js';

/** Messages per field (`_` for the input as a whole). A string is already in the reader's language (zod). */
export type FieldMessages = Record<string, Array<Message | string>>;

const english = translator('en');

/** A failure a person can act on, with its HTTP status and stable code. */
export class AppError extends Error {
  override name = 'AppError';
  readonly detail: Message;

  /**
   * @param status HTTP status the API answers (4xx for the caller's fault, 502 for a host's).
   * @param code stable identifier, e.g. `not_found`, `InvalidLogin`, `replica_exists`.
   * @param detail the message shown to the reader.
   * @param fields messages per input field (bad input only).
   * @param extra more members of the API's error answer (e.g. `replica_name`).
   */
  constructor(
    readonly status: number,
    readonly code: string,
    detail: Message,
    readonly fields?: FieldMessages,
    readonly extra?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(english.message(detail), options);
    this.detail = detail;
  }
}

/** 404: the thing named by the request does not exist. */
export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(detail: Message = msg('error.not_found')) {
    super(404, 'not_found', detail);
  }
}

/** 400: bad input, with messages per field. */
export class InvalidInputError extends AppError {
  override name = 'InvalidInputError';
  constructor(fields: FieldMessages, detail: Message = msg('error.invalid_input')) {
    super(400, 'invalid_input', detail, fields);
  }
}

/** 400 for one field: `invalidField('port', 'servers.error.port', { max: 65535 })`. */
export function invalidField(field: string, key: MessageKey, params?: MessageParams): InvalidInputError {
  return new InvalidInputError({ [field]: [msg(key, params)] });
}

/** 409: the request conflicts with the current state (already running, already finished, ...). */
export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(code: string, detail: Message, extra?: Record<string, unknown>) {
    super(409, code, detail, undefined, extra);
  }
}

/** 401 (not signed in, bad token) or 403 (role too low, CSRF). */
export class AccessError extends AppError {
  override name = 'AccessError';
  constructor(status: 401 | 403, code: string, detail: Message) {
    super(status, code, detail);
  }
}

/** A thrown value's message (never its stack): an AppError's own, else `error.unexpected` with its text. */
export function messageOf(err: unknown): Message {
  if (err instanceof AppError) return err.detail;
  const text = (err instanceof Error ? err.message : String(err)).trim().slice(0, 2000);
  return msg('error.unexpected', { detail: text || '?' });
}

/** The stable code of a thrown value (`internal` for errors that are not AppErrors). */
export const codeOf = (err: unknown): string => (err instanceof AppError ? err.code : 'internal');
