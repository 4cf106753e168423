/**
 * @module http/api/metrics: `GET /api/metrics`, the Prometheus scrape endpoint. Open like the seed's (so
 * that Prometheus needs no account); when `METRICS_TOKEN` is set it requires
 * `Authorization: Bearer <token>` (Prometheus' `authorization` scrape setting) and answers 401 otherwise.
 * Mounted before the API's authentication middleware.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1 (Endpoint Metrics) and section 4
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { AccessError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import type { Metrics } from '../../metrics/registry.js';
import type { AppEnv } from '../context.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an `Authorization` header carries the bearer token (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/** The scrape endpoint's routes, rendering `metrics`. */
export function metricsApi(metrics: Metrics) {
  return new Hono<AppEnv>().get('/', async (c) => {
    const token = c.get('deps').config.metricsToken;
    if (token && !bearerMatches(c.req.header('Authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AccessError(401, 'invalid_token', msg('error.metrics_token'));
    }
    const body = await metrics.scrape();
    return c.body(body, 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  });
}
