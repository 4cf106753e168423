/**
 * @module http/api/backup-jobs: `/api/backup-jobs/` list and create, `{id}/` get, PUT (every field), PATCH (a
 * subset merged into the current fields) and DELETE, `{id}/run/` (starts a run now: 201 with the run, 409 while
 * one is running) and `{id}/selection/` (the VMs the rules select now). JSON shapes: backup-jobs-json.ts.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  backupJobInput,
  evaluateSelection,
  inputOf,
  removeBackupJob,
  saveBackupJob,
  startRun,
} from '../../backup-jobs/index.js';
import { getRun, lastRuns, listRunVms } from '../../db/backup-job-runs.js';
import { getBackupJob, listBackupJobs } from '../../db/backup-jobs.js';
import { NotFoundError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson, validate } from '../validation.js';
import { backupJobJson, runJson } from './backup-jobs-json.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';

/** The backup job of the path. @throws NotFoundError. */
async function jobOf(c: Context<AppEnv>) {
  const job = await getBackupJob(c.get('deps').db, idParam(c));
  if (!job) throw new NotFoundError();
  return job;
}

async function one(c: Context<AppEnv>, id: number, status: 200 | 201 = 200) {
  const { db } = c.get('deps');
  const job = await getBackupJob(db, id);
  if (!job) throw new NotFoundError();
  const last = (await lastRuns(db, [id])).get(id);
  return c.json(backupJobJson(c.get('locale'), job, last), status);
}

export const backupJobsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { db } = c.get('deps');
    const page = paginate(c, await listBackupJobs(db));
    const last = await lastRuns(
      db,
      page.rows.map((j) => j.id),
    );
    return c.json(page.answer(page.rows.map((j) => backupJobJson(c.get('locale'), j, last.get(j.id)))));
  })
  .post('/', requireRole('operator'), async (c) => {
    const body = await parseJson(c, backupJobInput);
    const job = await saveBackupJob(c.get('deps'), body);
    return one(c, job.id, 201);
  })
  .get('/:id', async (c) => one(c, idParam(c)))
  .on(['PUT', 'PATCH'], '/:id', requireRole('operator'), async (c) => {
    const job = await jobOf(c);
    const raw = await parseJson(c, z.record(z.string(), z.unknown()));
    const input = validate(c, backupJobInput, c.req.method === 'PATCH' ? { ...inputOf(job), ...raw } : raw);
    await saveBackupJob(c.get('deps'), input, job);
    return one(c, job.id);
  })
  .delete('/:id', requireRole('operator'), async (c) => {
    const job = await jobOf(c);
    await removeBackupJob(c.get('deps'), job);
    return c.body(null, 204);
  })
  .post('/:id/run', requireRole('operator'), async (c) => {
    const job = await jobOf(c);
    const run = await startRun(c.get('deps'), job, 'manual', c.get('user')?.id ?? null);
    const view = await getRun(c.get('deps').db, run.id);
    if (!view) throw new NotFoundError();
    return c.json(runJson(c.get('t'), view, await listRunVms(c.get('deps').db, run.id)), 201);
  })
  .get('/:id/selection', async (c) => {
    const job = await jobOf(c);
    const { selected, gone } = await evaluateSelection(c.get('deps').db, job);
    const vm = (v: (typeof selected)[number]) => ({
      id: v.id,
      name: v.name,
      esxi_server: v.esxi_server_id,
      esxi_server_name: v.server_name,
      power_state: v.power_state,
    });
    return c.json({ selected: selected.map(vm), skipped: gone.map(vm) });
  });
