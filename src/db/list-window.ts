/**
 * @module db/list-window: a page of a list query cut in SQL (LIMIT/OFFSET) with the count of the whole list,
 * so that paginated API lists (http/api/pagination) never load more rows than they answer.
 */
import { count, sql } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/** `limit` rows from row `offset` (0-based) of a list in its order. */
export interface ListWindow {
  limit: number;
  offset: number;
}

/** The rows listed and the length of the whole list. */
export interface Listed<T> {
  rows: T[];
  count: number;
}

/**
 * Runs the ordered list query that `build` makes: whole when `window` is absent, else only the window's
 * rows, with a count of the whole list from a second query.
 * @param build makes the query (dynamic: `.$dynamic()`); called twice with a window.
 */
export async function listIn<Q extends PgSelect>(
  db: Db,
  build: () => Q,
  window?: ListWindow,
): Promise<Listed<Awaited<Q>[number]>> {
  if (!window) {
    const rows: Awaited<Q>[number][] = await build();
    return { rows, count: rows.length };
  }
  const [rows, [whole]] = await Promise.all([
    build().limit(window.limit).offset(window.offset) as Promise<Awaited<Q>[number][]>,
    db.select({ n: count() }).from(sql`(${build()}) as listed`),
  ]);
  return { rows, count: whole?.n ?? 0 };
}
