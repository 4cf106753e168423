/**
 * @module http/api/operations: `/api/operations/`: the active and recently finished operations of every
 * type (jobs), one of them, and `POST /api/operations/{id}/cancel/` (operators and admins).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { getJob, listOperations } from '../../db/jobs.js';
import { cancelJob, operationJson } from '../../jobs/actions.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { idParam } from './ids.js';
import { pageAnswer, pageRequest } from './pagination.js';
import { emptyAsMissing, parseQuery } from './query.js';

/** Finished operations are listed for this long (seconds); older ones are no longer operations. */
export const OPERATIONS_RETENTION_SECONDS = 24 * 3600;

const windowError = `must be an integer from 0 to ${OPERATIONS_RETENTION_SECONDS}`;

/** Filters of `GET /api/operations/`. */
export const operationFilters = z.object({
  finished_within_seconds: emptyAsMissing(
    z.coerce
      .number({ error: windowError })
      .int({ error: windowError })
      .min(0, { error: windowError })
      .max(OPERATIONS_RETENTION_SECONDS, { error: windowError })
      .default(OPERATIONS_RETENTION_SECONDS),
  ).describe(
    `Finished operations are listed when they ended at most this many seconds ago (default and maximum ${OPERATIONS_RETENTION_SECONDS}); active ones always.`,
  ),
});

export const operationsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const deps = c.get('deps');
    const { finished_within_seconds } = parseQuery(c, operationFilters);
    const request = pageRequest(c);
    const { rows, count } = await listOperations(
      deps.db,
      { finishedWithinSeconds: finished_within_seconds },
      request,
    );
    const json = rows.map((job) => operationJson(job, deps.jobs?.isCancellable(job.type) ?? false));
    return c.json(pageAnswer(c, request, { rows: json, count }));
  })
  .get('/:id', async (c) => {
    const deps = c.get('deps');
    const job = await getJob(deps.db, idParam(c));
    if (!job) throw new HTTPException(404, { message: 'Not found.' });
    return c.json(operationJson(job, deps.jobs?.isCancellable(job.type) ?? false));
  })
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const result = await cancelJob(deps, idParam(c));
    if (!result) throw new HTTPException(404, { message: 'Not found.' });
    if (result.outcome === 'not_cancellable')
      throw new HTTPException(409, { message: 'This operation cannot be cancelled.' });
    if (result.outcome === 'finished')
      throw new HTTPException(409, { message: 'This operation has already finished.' });
    const status = result.outcome === 'cancelled' ? 200 : 202;
    return c.json({ outcome: result.outcome, operation: operationJson(result.job, true) }, status);
  });
