/**
 * @module http/validation: zod at the edge. A bad body becomes HTTP 400 with one message per field:
 * `{ status: 400, message: 'Invalid input.', errors: { port: ['must be at most 65535'] } }`.
 */
import type { Context } from 'hono';
import { z } from 'zod';

export type FieldErrors = Record<string, string[]>;

/** Bad input, with the messages per field (`_` for the body as a whole). */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    public readonly errors: FieldErrors,
    message = 'Invalid input.',
  ) {
    super(message);
  }
}

/** Field messages from a zod error, keyed by the first path segment. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_';
    if (!errors[key]) errors[key] = [];
    errors[key].push(issue.message);
  }
  return errors;
}

/**
 * Parses a JSON body. @throws ValidationError (400) for malformed JSON or a schema mismatch.
 */
export async function parseJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ValidationError({ _: ['The body must be a JSON object.'] });
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
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
  const error = c.get('locale') === 'fr' ? z.locales.fr().localeError : undefined;
  const result = schema.safeParse(values, error ? { error } : undefined);
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, errors: fieldErrors(result.error), values };
}
