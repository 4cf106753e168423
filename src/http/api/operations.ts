/**
 * @module http/api/operations: `/api/operations/`: the active and recently finished operations of every
 * type (jobs), one of them, and `POST /api/operations/{id}/cancel/` (operators and admins). The JSON of an
 * operation is built in operations-json.ts.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { getJob, listOperations } from '../../db/jobs.js';
import { NotFoundError } from '../../errors.js';
import { cancelOperation } from '../../jobs/actions.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { idParam } from './ids.js';
import { operationJson } from './operations-json.js';
import { pageAnswer, pageRequest } from './pagination.js';
import { emptyAsMissing, parseQuery } from './query.js';

/** Finished operations are listed for this long (seconds); older ones are no longer operations. */
export const OPERATIONS_RETENTION_SECONDS = 24 * 3600;

const windowError = 'operations.field.finished_within';

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
    const t = c.get('t');
    const json = rows.map((job) => operationJson(t, job, deps.jobs?.isCancellable(job.type) ?? false));
    return c.json(pageAnswer(c, request, { rows: json, count }));
  })
  .get('/:id', async (c) => {
    const deps = c.get('deps');
    const job = await getJob(deps.db, idParam(c));
    if (!job) throw new NotFoundError();
    return c.json(operationJson(c.get('t'), job, deps.jobs?.isCancellable(job.type) ?? false));
  })
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const result = await cancelOperation(c.get('deps'), idParam(c));
    const status = result.outcome === 'cancelled' ? 200 : 202;
    return c.json(
      { outcome: result.outcome, operation: operationJson(c.get('t'), result.job, true) },
      status,
    );
  });
