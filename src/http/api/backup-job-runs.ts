/**
 * @module http/api/backup-job-runs: `/api/backup-job-runs/` (filters `?backup_job=`, `?status=`, newest first),
 * `{id}/` with its VM lines (`vm_results`), `{id}/progress/` (`{id, progress, status, message}`) and
 * `{id}/cancel/` (its running VM backups are cancelled, no new one starts; 409 once it has ended).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { finishRun, getRun, listRuns, listRunVms } from '../../db/backup-job-runs.js';
import { BACKUP_JOB_RUN_STATUSES } from '../../db/schema.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { cancelJob } from '../../jobs/actions.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { runJson, runProgressJson } from './backup-jobs-json.js';
import { idParam } from './ids.js';
import { pageAnswer, pageRequest } from './pagination.js';
import { enumFilter, idFilter, parseQuery } from './query.js';

/** Filters of `GET /api/backup-job-runs/`. */
export const runFilters = z.object({
  backup_job: idFilter('Only the runs of this backup job (id).'),
  status: enumFilter(BACKUP_JOB_RUN_STATUSES, 'Only the runs with this status.'),
});

/** The run of the path. @throws NotFoundError. */
async function runOf(c: Context<AppEnv>) {
  const run = await getRun(c.get('deps').db, idParam(c));
  if (!run) throw new NotFoundError();
  return run;
}

async function detail(c: Context<AppEnv>, id: number) {
  const { db } = c.get('deps');
  const run = await getRun(db, id);
  if (!run) throw new NotFoundError();
  return c.json(runJson(c.get('t'), run, await listRunVms(db, id)));
}

export const backupJobRunsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, runFilters);
    const request = pageRequest(c);
    const { rows, count } = await listRuns(c.get('deps').db, filters, request);
    const t = c.get('t');
    return c.json(pageAnswer(c, request, { rows: rows.map((r) => runJson(t, r)), count }));
  })
  .get('/:id', async (c) => detail(c, idParam(c)))
  .get('/:id/progress', async (c) => c.json(runProgressJson(c.get('t'), await runOf(c))))
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const run = await runOf(c);
    if (run.status !== 'running')
      throw new ConflictError('already_finished', msg('backup_jobs.error.not_running'));
    const deps = c.get('deps');
    const outcome = run.job_id ? await cancelJob(deps, run.job_id) : null;
    // A job that never started (or is gone) has no handler to end the run: end it here.
    if (!outcome || outcome.outcome === 'cancelled' || outcome.outcome === 'finished')
      await finishRun(deps.db, run.id, 'cancelled');
    return detail(c, run.id);
  });
