/**
 * @module http/routes/operations: the operations widget's fragment (`GET /operations/widget`, polled by
 * every page) and its cancel button (`POST /operations/:id/cancel`, operators and admins). The widget's
 * state is the jobs table, so it survives navigation and reloads.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { OperationsWidget } from '../../../views/operations/widget.js';
import { listOperations } from '../../db/jobs.js';
import { cancelOperation } from '../../jobs/actions.js';
import { jobsVersion } from '../../jobs/changes.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { hxTriggerValue } from '../hx-trigger.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { renderToString } from '../render.js';

/** Seconds a finished operation stays in the widget. */
export const WIDGET_FINISHED_SECONDS = 10;

/**
 * Sets `HX-Trigger` so that the widget refreshes at once (and starts polling): for routes that start a job.
 * @param toast optional toast shown by public/app.js in the same response.
 */
export function triggerOperationsChanged(
  c: Context,
  toast?: { level: 'success' | 'error'; message: string },
): void {
  c.header('HX-Trigger', hxTriggerValue({ 'operations-changed': true, ...(toast ? { toast } : {}) }));
}

/**
 * Milliseconds a rendered widget is reused while no job changed in this process (every open tab polls it
 * every second; progress is written at most 4 times a second). Bounds what other processes' changes wait.
 */
const WIDGET_REUSE_MS = 250;

/**
 * Rendered widgets per database (tests run several apps in one process), by language and role. The entry
 * holds the render in flight, so that requests arriving while it runs share it instead of each querying.
 */
const rendered = new WeakMap<object, Map<string, { html: Promise<Buffer>; version: number; at: number }>>();

async function renderWidget(c: Context<AppEnv>) {
  const deps = c.get('deps');
  const operator = hasRole(c, 'operator');
  const key = `${c.get('locale')}:${operator}`;
  const cache = rendered.get(deps.db) ?? new Map();
  rendered.set(deps.db, cache);
  const version = jobsVersion();
  let entry = cache.get(key);
  if (!entry || entry.version !== version || Date.now() - entry.at >= WIDGET_REUSE_MS) {
    const html = (async () => {
      const { rows: jobs } = await listOperations(deps.db, {
        finishedWithinSeconds: WIDGET_FINISHED_SECONDS,
      });
      const operations = jobs.map((job) => ({
        job,
        canCancel: operator && (deps.jobs?.isCancellable(job.type) ?? false),
      }));
      // Encoded once: every poll within WIDGET_REUSE_MS sends the same bytes.
      return Buffer.from(await renderToString(c, <OperationsWidget operations={operations} />));
    })();
    const fresh = { html, version, at: Date.now() };
    entry = fresh;
    cache.set(key, fresh);
    html.catch(() => cache.get(key) === fresh && cache.delete(key));
  }
  const html = await entry.html;
  c.header('Cache-Control', 'no-store');
  c.header('Content-Type', 'text/html; charset=UTF-8');
  return c.body(html);
}

export const operationRoutes = new Hono<AppEnv>()
  .get('/widget', (c) => renderWidget(c))
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const t = c.get('t');
    const result = await cancelOperation(c.get('deps'), idParam(c));
    const message = t(
      result.outcome === 'cancelled' ? 'operations.cancelled' : 'operations.cancel_requested',
    );
    c.header('HX-Trigger', hxTriggerValue({ toast: { level: 'success', message } }));
    return renderWidget(c);
  });
