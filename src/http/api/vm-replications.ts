/**
 * @module http/api/vm-replications: `/api/vm-replications/` CRUD (unique per VM and destination: 409; source
 * and destination must differ: 400), `start_replication/` (`{existing_replica?: "delete"|"refresh"}`; answers
 * `{status: "started", message, replication_id}` where `replication_id` is the run's id, or 409 with
 * `replica_exists` and `replica_name`), `pause/`, `resume/`, `trigger_failover/` (`{reason, test_mode}`),
 * `check_replica_exists/`, and a run's `runs/{replication_id}/progress/` and `runs/{replication_id}/cancel/`.
 * Deleting a replication deletes its replica on the destination (`?keep_replica=true` keeps it).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2, ../shared/seeds/000_51d0a8809ce1434c.txt
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { getFailoverEvent } from '../../db/failover-events.js';
import { getJob } from '../../db/jobs.js';
import { getReplication, latestRuns, listReplications } from '../../db/replications.js';
import { cancelJob } from '../../jobs/actions.js';
import {
  checkReplicaExists,
  DestinationUnreachableError,
  deleteReplication,
  ReplicaExistsError,
  ReplicaInServiceError,
  setPaused,
  startReplication,
  triggerFailover,
} from '../../replication/actions.js';
import { failoverEventJson, replicationJson, runProgressJson } from '../../replication/json.js';
import {
  replicationJson as bodySchema,
  inputOf,
  ReplicationConflictError,
  saveReplication,
} from '../../replication/settings.js';
import { VSphereError } from '../../vsphere/index.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { fieldErrors, parseJson, ValidationError } from '../validation.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';
import { parseQuery } from './query.js';

/** Body of `start_replication/` (optional). */
export const startSchema = z.object({ existing_replica: z.enum(['delete', 'refresh']).optional() });

/** The optional body of `resume/`: the confirmation that a replica in service after a failover may be overwritten. */
export const resumeSchema = z.object({ overwrite_replica: z.boolean().optional() });
/** Body of `trigger_failover/`. */
export const failoverSchema = z.object({
  reason: z.string().trim().min(1).max(2000),
  test_mode: z.boolean().default(false),
});

/** Query of `DELETE /api/vm-replications/{id}/`. */
export const deleteReplicationQuery = z.object({
  keep_replica: z
    .preprocess((v) => v === 'true', z.boolean())
    .describe('`true`: delete the replication only and keep its replica VM on the destination.'),
});

/** Maps the replication errors to HTTP answers `{status, message}` (409 also names an existing replica). */
export function replicationErrorResponse(c: Context<AppEnv>, err: unknown) {
  if (err instanceof ReplicaExistsError) {
    return c.json(
      { status: 409, message: err.message, replica_exists: true, replica_name: err.replicaName },
      409,
    );
  }
  if (err instanceof ReplicaInServiceError) {
    return c.json(
      { status: 409, message: err.message, replica_in_service: true, failover_event: err.eventId },
      409,
    );
  }
  if (err instanceof ReplicationConflictError) return c.json({ status: 409, message: err.message }, 409);
  if (err instanceof DestinationUnreachableError || err instanceof VSphereError) {
    return c.json({ status: 502, message: err.message }, 502);
  }
  throw err;
}

async function found(c: Context<AppEnv>) {
  const r = await getReplication(c.get('deps').db, idParam(c));
  if (!r) throw new HTTPException(404, { message: 'Not found.' });
  return r;
}

async function optionalJson(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError({ _: ['The body must be a JSON object.'] });
  }
}

async function one(c: Context<AppEnv>, id: number, status: 200 | 201 = 200) {
  const deps = c.get('deps');
  const r = await getReplication(deps.db, id);
  if (!r) throw new HTTPException(404, { message: 'Not found.' });
  const runs = await latestRuns(deps.db, [id]);
  return c.json(replicationJson(r, c.get('t'), runs.get(id)), status);
}

async function runJob(c: Context<AppEnv>) {
  const job = await getJob(c.get('deps').db, Number(c.req.param('runId')) || 0);
  if (job?.type !== 'replication') throw new HTTPException(404, { message: 'Not found.' });
  return job;
}

export const vmReplicationsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { db } = c.get('deps');
    const page = paginate(c, await listReplications(db));
    const runs = await latestRuns(
      db,
      page.rows.map((r) => r.id),
    );
    return c.json(page.answer(page.rows.map((r) => replicationJson(r, c.get('t'), runs.get(r.id)))));
  })
  .post('/', requireRole('operator'), async (c) => {
    const body = await parseJson(c, bodySchema);
    try {
      const row = await saveReplication(c.get('deps'), c.get('t'), body);
      return one(c, row.id, 201);
    } catch (err) {
      return replicationErrorResponse(c, err);
    }
  })
  .get('/runs/:runId/progress', async (c) => c.json(runProgressJson(await runJob(c), c.get('t'))))
  .post('/runs/:runId/cancel', requireRole('operator'), async (c) => {
    const job = await runJob(c);
    await cancelJob(c.get('deps'), job.id);
    return c.json(runProgressJson((await getJob(c.get('deps').db, job.id)) ?? job, c.get('t')));
  })
  .get('/:id', async (c) => one(c, idParam(c)))
  .on(['PUT', 'PATCH'], '/:id', requireRole('operator'), async (c) => {
    const r = await found(c);
    const raw = await parseJson(c, z.record(z.string(), z.unknown()));
    const parsed = bodySchema.safeParse(c.req.method === 'PATCH' ? { ...inputOf(r), ...raw } : raw);
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
    try {
      await saveReplication(c.get('deps'), c.get('t'), parsed.data, r);
      return one(c, r.id);
    } catch (err) {
      return replicationErrorResponse(c, err);
    }
  })
  .delete('/:id', requireRole('operator'), async (c) => {
    const r = await found(c);
    try {
      const { keep_replica } = parseQuery(c, deleteReplicationQuery);
      await deleteReplication(c.get('deps'), c.get('t'), r, { keepReplica: keep_replica });
      return c.body(null, 204);
    } catch (err) {
      return replicationErrorResponse(c, err);
    }
  })
  .post('/:id/start_replication', requireRole('operator'), async (c) => {
    const r = await found(c);
    const parsed = startSchema.safeParse(await optionalJson(c));
    if (!parsed.success) throw new ValidationError({ existing_replica: ['must be "delete" or "refresh"'] });
    try {
      const job = await startReplication(c.get('deps'), c.get('t'), r, {
        existing_replica: parsed.data.existing_replica,
        userId: c.get('user')?.id ?? null,
      });
      return c.json({
        status: 'started',
        message: c.get('t')('replication.started'),
        replication_id: job.id,
      });
    } catch (err) {
      return replicationErrorResponse(c, err);
    }
  })
  .post('/:id/pause', requireRole('operator'), async (c) => {
    await setPaused(c.get('deps'), c.get('t'), await found(c), true);
    return one(c, idParam(c));
  })
  .post('/:id/resume', requireRole('operator'), async (c) => {
    const r = await found(c);
    const parsed = resumeSchema.safeParse(await optionalJson(c));
    if (!parsed.success) throw new ValidationError({ overwrite_replica: ['must be true or false'] });
    try {
      await setPaused(c.get('deps'), c.get('t'), r, false, {
        overwriteReplica: parsed.data.overwrite_replica,
      });
    } catch (err) {
      return replicationErrorResponse(c, err);
    }
    return one(c, idParam(c));
  })
  .get('/:id/check_replica_exists', async (c) => {
    try {
      return c.json(await checkReplicaExists(c.get('deps'), c.get('t'), await found(c)));
    } catch (err) {
      return replicationErrorResponse(c, err);
    }
  })
  .post('/:id/trigger_failover', requireRole('operator'), async (c) => {
    const r = await found(c);
    const body = await parseJson(c, failoverSchema);
    try {
      const type = body.test_mode ? 'test' : 'manual';
      const userId = c.get('user')?.id ?? null;
      const event = await triggerFailover(c.get('deps'), c.get('t'), r, {
        reason: body.reason,
        type,
        userId,
      });
      const view = event ? await getFailoverEvent(c.get('deps').db, event.id) : null;
      if (!view) throw new HTTPException(500, { message: 'The failover event was not recorded.' });
      return c.json(failoverEventJson(view, c.get('t')), 201);
    } catch (err) {
      return replicationErrorResponse(c, err);
    }
  });
