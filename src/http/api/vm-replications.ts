/**
 * @module http/api/vm-replications: `/api/vm-replications/` CRUD (unique per VM and destination: 409; source
 * and destination must differ: 400), `start_replication/` (`{existing_replica?: "delete"|"refresh"}`; answers
 * `{status: "started", message, replication_id}` where `replication_id` is the run's id, or 409 with
 * `replica_exists` and `replica_name`), `pause/`, `resume/`, `trigger_failover/` (`{reason, test_mode}`),
 * `check_replica_exists/`, and a run's `runs/{replication_id}/progress/` and `runs/{replication_id}/cancel/`.
 * Deleting a replication deletes its replica on the destination (`?keep_replica=true` keeps it). Refusals
 * are the domain's errors (src/errors.ts, with their `code` and members such as `replica_exists`), answered
 * by onError; the JSON shapes are in vm-replications-json.ts.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2, ../shared/seeds/000_51d0a8809ce1434c.txt
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { getFailoverEvent } from '../../db/failover-events.js';
import { getJob } from '../../db/jobs.js';
import { latestRuns, listReplications } from '../../db/replications.js';
import { InvalidInputError, NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { cancelJob } from '../../jobs/actions.js';
import {
  checkReplicaExists,
  deleteReplication,
  loadReplication,
  loadRun,
  setPaused,
  startReplication,
  triggerFailover,
} from '../../replication/actions.js';
import { replicationJson as bodySchema, inputOf, saveReplication } from '../../replication/settings.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson, validate } from '../validation.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';
import { parseQuery } from './query.js';
import {
  failoverEventJson,
  replicaCheckJson,
  replicationJson,
  runProgressJson,
} from './vm-replications-json.js';

/** Body of `start_replication/` (optional). */
export const startSchema = z.object({
  existing_replica: z.enum(['delete', 'refresh'], { error: 'field.one_of' }).optional(),
});

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

/** An optional JSON body: empty is `{}`. @throws InvalidInputError (400) for a body that is not JSON. */
async function optionalJson(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError({ _: [msg('error.body_json')] });
  }
}

const replicationOf = (c: Context<AppEnv>) => loadReplication(c.get('deps').db, idParam(c));
const runOf = (c: Context<AppEnv>) => loadRun(c.get('deps').db, idParam(c, 'runId'));

async function one(c: Context<AppEnv>, id: number, status: 200 | 201 = 200) {
  const deps = c.get('deps');
  const r = await loadReplication(deps.db, id);
  const runs = await latestRuns(deps.db, [id]);
  return c.json(replicationJson(r, c.get('t'), runs.get(id)), status);
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
    const row = await saveReplication(c.get('deps'), body);
    return one(c, row.id, 201);
  })
  .get('/runs/:runId/progress', async (c) => c.json(runProgressJson(await runOf(c), c.get('t'))))
  .post('/runs/:runId/cancel', requireRole('operator'), async (c) => {
    const job = await runOf(c);
    await cancelJob(c.get('deps'), job.id);
    return c.json(runProgressJson((await getJob(c.get('deps').db, job.id)) ?? job, c.get('t')));
  })
  .get('/:id', async (c) => one(c, idParam(c)))
  .on(['PUT', 'PATCH'], '/:id', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    const raw = await parseJson(c, z.record(z.string(), z.unknown()));
    const input = validate(c, bodySchema, c.req.method === 'PATCH' ? { ...inputOf(r), ...raw } : raw);
    await saveReplication(c.get('deps'), input, r);
    return one(c, r.id);
  })
  .delete('/:id', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    const { keep_replica } = parseQuery(c, deleteReplicationQuery);
    await deleteReplication(c.get('deps'), r, { keepReplica: keep_replica });
    return c.body(null, 204);
  })
  .post('/:id/start_replication', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    const body = validate(c, startSchema, await optionalJson(c));
    const job = await startReplication(c.get('deps'), r, {
      existing_replica: body.existing_replica,
      userId: c.get('user')?.id ?? null,
    });
    return c.json({ status: 'started', message: c.get('t')('replication.started'), replication_id: job.id });
  })
  .post('/:id/pause', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    await setPaused(c.get('deps'), r, true);
    return one(c, r.id);
  })
  .post('/:id/resume', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    const body = validate(c, resumeSchema, await optionalJson(c));
    await setPaused(c.get('deps'), r, false, { overwriteReplica: body.overwrite_replica });
    return one(c, r.id);
  })
  .get('/:id/check_replica_exists', async (c) => {
    const check = await checkReplicaExists(c.get('deps'), await replicationOf(c));
    return c.json(replicaCheckJson(check, c.get('t')));
  })
  .post('/:id/trigger_failover', requireRole('operator'), async (c) => {
    const r = await replicationOf(c);
    const body = await parseJson(c, failoverSchema);
    const event = await triggerFailover(c.get('deps'), r, {
      reason: body.reason,
      type: body.test_mode ? 'test' : 'manual',
      userId: c.get('user')?.id ?? null,
    });
    const view = event && (await getFailoverEvent(c.get('deps').db, event.id));
    if (!view) throw new NotFoundError(msg('failover.error.not_found'));
    // The answer describes the event as created (`initiated`, seed 002), even when the runner has claimed it since.
    return c.json(failoverEventJson({ ...view, ...event }, c.get('t')), 201);
  });
