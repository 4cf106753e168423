/**
 * @module i18n/message: a text for a person as data: a catalog key plus parameters, rendered in the reader's
 * language only when a page, a fragment, the API or a notification shows it. Jobs, checks and validations
 * produce `Message`s; the database keeps them in the columns that held English sentences before (job step and
 * error, failover and verification logs, last errors) as one JSON object, `{"key":…,"params":…,"code":…}`.
 * A column's text that is not such an object is a row written before messages were keys: it is shown as stored.
 */
import type { MessageKey } from './messages.js';

/** A parameter: a value shown as is, or a message rendered in the same language (e.g. an error's cause). */
export type MessageParam = string | number | Message;
export type MessageParams = Record<string, MessageParam>;

/** A text for a person: its catalog key and the values of its `{name}` placeholders. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

/** A message as stored, with the stable code of the error it describes, if any (e.g. `InvalidLogin`). */
export interface StoredMessage extends Message {
  code?: string;
}

/** `msg('step.copying', { file: 'disk1-flat.vmdk' })`. */
export const msg = (key: MessageKey, params?: MessageParams): Message => (params ? { key, params } : { key });

/** Whether a value is a Message (a parameter may be one). */
export function isMessage(value: unknown): value is Message {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Message).key === 'string' &&
    ((value as Message).params === undefined || typeof (value as Message).params === 'object')
  );
}

/** The text to store in a column for a message (and its error code). */
export function storeMessage(message: Message, code?: string): string {
  return JSON.stringify(code ? { ...message, code } : message);
}

/**
 * Reads a stored column back.
 * @returns the message (with its code) for text written by `storeMessage`, `{ text }` for an older row's
 *   plain sentence, null for null or empty text.
 */
export function readStored(text: string | null | undefined): StoredMessage | { text: string } | null {
  if (!text) return null;
  if (text.startsWith('{"key":')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isMessage(parsed)) return parsed as StoredMessage;
    } catch {
      // not ours after all: shown as stored
    }
  }
  return { text };
}

/** The stable code stored with an error message, if any. */
export function storedCode(text: string | null | undefined): string | undefined {
  const stored = readStored(text);
  return stored && 'key' in stored ? stored.code : undefined;
}
