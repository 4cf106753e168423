/** @module http/api/ids: path ids (query filters are in query.ts). */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** The `:id` path parameter as a positive integer. @throws HTTPException 404 otherwise. */
export function idParam(c: Context): number {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id <= 0) throw new HTTPException(404, { message: 'Not found.' });
  return id;
}
