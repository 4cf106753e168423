/** @module http/api/ids: path and query ids. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** The `:id` path parameter as a positive integer. @throws HTTPException 404 otherwise. */
export function idParam(c: Context): number {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id <= 0) throw new HTTPException(404, { message: 'Not found.' });
  return id;
}

/** An optional numeric query filter; undefined when absent. @throws HTTPException 400 when not a number. */
export function optionalIdQuery(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new HTTPException(400, { message: `${name} must be an id` });
  return id;
}
