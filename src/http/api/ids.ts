/**
 * @module http/api/ids: path ids, parsed in one place for every route (pages and API). An id that is not a
 * positive whole number that fits a Postgres `integer` (1 to 2^31-1) names nothing: 404, never a 500.
 */
import type { Context } from 'hono';
import { NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';

/** The largest id a Postgres `integer` column holds. */
export const MAX_ID = 2_147_483_647;

/**
 * A path parameter as a row id.
 * @param name the parameter (`:id` by default).
 * @throws NotFoundError (404, `error.bad_id`) for anything but digits naming an integer in 1..2^31-1.
 */
export function idParam(c: Context, name = 'id'): number {
  const raw = c.req.param(name) ?? '';
  const id = asId(raw);
  if (id === undefined) throw new NotFoundError(msg('error.bad_id', { value: raw.slice(0, 40) }));
  return id;
}

/**
 * A text as a row id, by the same rule as `idParam` (for the ids pages take from their query string).
 * @returns the id, or undefined for anything but digits naming an integer in 1..2^31-1.
 */
export function asId(raw: string | undefined): number | undefined {
  const id = raw && /^[0-9]{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  return id >= 1 && id <= MAX_ID ? id : undefined;
}
