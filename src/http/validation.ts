/**
 * @module http/validation: zod at the edge, in the request's language. A bad body becomes an
 * InvalidInputError (src/errors.ts), answered 400 with one message per field:
 * `{ status: 400, code: 'invalid_input', message: 'Saisie invalide.', errors: { port: ['…'] } }`.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { type FieldMessages, InvalidInputError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import { isMessageKey } from '../i18n/messages.js';
import type { Translate } from '../i18n/translate.js';

/** Field messages rendered for a form: field to texts in the reader's language. */
export type FieldErrors = Record<string, string[]>;

/** Renders field messages in the reader's language. */
export function renderFields(t: Translate, fields: FieldMessages): FieldErrors {
  return Object.fromEntries(
    Object.entries(fields).map(([field, list]) => [
      field,
      list.map((m) => (typeof m === 'string' ? m : t.message(m))),
    ]),
  );
}

/** zod's error map for the request's language (zod's own French messages; English is its default). */
export const zodLocale = (c: Context) => (c.get('locale') === 'fr' ? z.locales.fr().localeError : undefined);

/**
 * Field messages from a zod error, keyed by the first path segment. A schema's own message may be a catalog
 * key (`z.string({ error: 'field.required' })`): it becomes that message, with the issue's `values`,
 * `minimum` and `maximum` as parameters; zod's own messages are already in the language of `zodLocale`.
 */
export function fieldErrors(error: z.ZodError): FieldMessages {
  const errors: FieldMessages = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_';
    if (!errors[key]) errors[key] = [];
    errors[key].push(isMessageKey(issue.message) ? msg(issue.message, issueParams(issue)) : issue.message);
  }
  return errors;
}

function issueParams(issue: z.core.$ZodIssue): MessageParams {
  const params: MessageParams = {};
  if ('values' in issue && Array.isArray(issue.values)) params.values = issue.values.join(', ');
  if ('minimum' in issue) params.minimum = String(issue.minimum);
  if ('maximum' in issue) params.maximum = String(issue.maximum);
  return params;
}

/** The body as JSON. @throws InvalidInputError (400, field `_`) for a body that is not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new InvalidInputError({ _: [msg('error.body_json')] });
  }
}

/** Checks a value against a schema. @throws InvalidInputError (400) naming each bad field. */
export function validate<S extends z.ZodType>(c: Context, schema: S, value: unknown): z.output<S> {
  const error = zodLocale(c);
  const result = schema.safeParse(value, error ? { error } : undefined);
  if (!result.success) throw new InvalidInputError(fieldErrors(result.error));
  return result.data;
}

/** Parses a JSON body. @throws InvalidInputError (400) for malformed JSON or a schema mismatch. */
export async function parseJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return validate(c, schema, await readJson(c));
}

/**
 * Parses an HTML form: the data, or the field errors (in the request's language) and the raw values to
 * render the form again.
 */
export async function parseForm<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<
  { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors; values: Record<string, string> }
> {
  const raw = await c.req.parseBody();
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw))
    if (typeof value === 'string' && key !== '_csrf') values[key] = value;
  const error = zodLocale(c);
  const result = schema.safeParse(values, error ? { error } : undefined);
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, errors: renderFields(c.get('t'), fieldErrors(result.error)), values };
}
