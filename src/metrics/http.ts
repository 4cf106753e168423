/**
 * @module metrics/http: `esxi_http_request_duration_seconds{method,route,status}`, the time this process
 * took to answer each HTTP request until its response was ready. `route` is the pattern of the route that
 * answered (Hono's `routePath`, e.g. `/api/vm-backups/:id`), never the raw path: its values are the app's
 * own patterns, bounded whatever the clients send; a request answered by a middleware (401 of `/api/*`,
 * sign-in redirect of `/*`, not found) carries that middleware's pattern. Unknown methods count as `OTHER`.
 */
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import { Histogram, type Registry } from 'prom-client';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Buckets in seconds, from 5 ms to 10 s. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Registers the request duration histogram on `registry`.
 * @returns the middleware to install first on the app, so that it times everything after it.
 */
export function createHttpMetrics(registry: Registry) {
  const duration = new Histogram<'method' | 'route' | 'status'>({
    name: 'esxi_http_request_duration_seconds',
    help: 'Time in seconds to answer an HTTP request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    buckets: BUCKETS,
    registers: [registry],
  });

  return createMiddleware(async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const route = routePath(c) || 'unmatched';
      duration.observe({ method, route, status: String(c.res.status) }, (performance.now() - start) / 1000);
    }
  });
}
