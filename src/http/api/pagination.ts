/**
 * @module http/api/pagination: every list endpoint answers the seed's plain JSON array, unless the request
 * asks for a page with `?page=` or `?page_size=`: it then answers the DRF envelope
 * `{count, next, previous, results}` (`page_size` 50 by default, at most 500; `next`/`previous` are absolute
 * URLs keeping the other parameters, null at the ends; a page past the last one is a 404 "Invalid page.").
 * Lists that grow with use (operations, backups, restores, verifications, failover events, VMs) are cut in
 * SQL (db/list-window); the short ones (servers, datastores, storage paths, replications) in memory.
 */

import type { Context } from 'hono';
import { z } from 'zod';
import type { Listed, ListWindow } from '../../db/list-window.js';
import { NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { emptyAsMissing, parseQuery } from './query.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const positive = (error: string) => z.coerce.number({ error }).int({ error }).min(1, { error });

/** `?page=` and `?page_size=` (documented on every list endpoint). */
export const paginationQuery = z.object({
  page: emptyAsMissing(positive('must be a positive integer').optional()).describe(
    'Page number, from 1. With `page` or `page_size` the answer is the envelope {count, next, previous, results}; without either, the whole list as an array.',
  ),
  page_size: emptyAsMissing(
    positive(`must be an integer from 1 to ${MAX_PAGE_SIZE}`)
      .max(MAX_PAGE_SIZE, { error: `must be an integer from 1 to ${MAX_PAGE_SIZE}` })
      .optional(),
  ).describe(`Items per page (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).`),
});

/** The DRF page envelope. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

function pageUrl(c: Context, page: number): string {
  const url = new URL(c.req.url);
  url.searchParams.set('page', String(page));
  return url.toString();
}

/** The page asked for: its number, size and rows window; undefined when the whole list is asked for. */
export type PageRequest = ListWindow & { page: number; size: number };

/**
 * Reads `?page=` and `?page_size=`. @returns the page asked for, or undefined for the whole list.
 * @throws ValidationError (400) for a bad `page`/`page_size`.
 */
export function pageRequest(c: Context): PageRequest | undefined {
  const query = c.req.query();
  if (query.page === undefined && query.page_size === undefined) return undefined;
  const { page = 1, page_size: size = DEFAULT_PAGE_SIZE } = parseQuery(c, paginationQuery);
  return { page, size, limit: size, offset: (page - 1) * size };
}

/**
 * The body for a listed page: the rendered rows themselves when no page was asked for, else the envelope.
 * @param listed the page's rows rendered (`json`) and the whole list's `count`.
 * @throws NotFoundError (404) for a page past the last.
 */
export function pageAnswer<R>(
  c: Context,
  request: PageRequest | undefined,
  listed: Listed<R>,
): R[] | Page<R> {
  if (!request) return listed.rows;
  const { page, size } = request;
  const last = Math.max(1, Math.ceil(listed.count / size));
  if (page > last) throw new NotFoundError(msg('error.invalid_page'));
  return {
    count: listed.count,
    next: page < last ? pageUrl(c, page + 1) : null,
    previous: page > 1 ? pageUrl(c, page - 1) : null,
    results: listed.rows,
  };
}

/**
 * Cuts a whole list (a short one, loaded in memory) into the requested page.
 * @returns `rows`: the rows to render (all of them when no page was asked for); `answer(json)`: the body for
 *   the rendered rows: the array itself, or the page envelope.
 * @throws ValidationError (400) for a bad `page`/`page_size`; NotFoundError (404) for a page past the last.
 */
export function paginate<T>(c: Context, all: T[]): { rows: T[]; answer<R>(json: R[]): R[] | Page<R> } {
  const request = pageRequest(c);
  return {
    rows: request ? all.slice(request.offset, request.offset + request.limit) : all,
    answer: (json) => pageAnswer(c, request, { rows: json, count: all.length }),
  };
}
