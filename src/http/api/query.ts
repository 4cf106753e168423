/**
 * @module http/api/query: query-string parameters (filters, pagination) validated by zod, so that the same
 * schema checks the request and documents it (src/http/openapi). A bad value is a 400 in the API's one error
 * format: `{status: 400, code: 'invalid_input', message: '…', errors: {status: ['doit être l’une des valeurs …']}}`.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { validate } from '../validation.js';
import { MAX_ID } from './ids.js';

/** An empty parameter (`?status=`) counts as absent, as the routes always did. */
export function emptyAsMissing<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema);
}

/** An optional numeric id filter (`?virtual_machine=12`). */
export function idFilter(description: string) {
  const error = 'field.id';
  const id = z.coerce.number({ error }).int({ error }).positive({ error }).max(MAX_ID, { error });
  return emptyAsMissing(id.optional()).describe(description);
}

/** An optional filter with a closed set of values. */
export function enumFilter<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  const error = 'field.one_of';
  return emptyAsMissing(z.enum(values, { error }).optional()).describe(description);
}

/**
 * Parses the query string with `schema` (unknown parameters are ignored).
 * @throws InvalidInputError (400) naming each bad parameter.
 */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return validate(c, schema, c.req.query());
}
