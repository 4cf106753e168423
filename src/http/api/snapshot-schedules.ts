/**
 * @module http/api/snapshot-schedules: `/api/snapshot-schedules/` list (filter `?virtual_machine=`) and create,
 * `/api/snapshot-schedules/{id}/` get, update (PUT or PATCH, any field) and delete (operators change them).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { getVirtualMachine } from '../../db/inventory.js';
import {
  deleteSnapshotSchedule,
  getSnapshotSchedule,
  insertSnapshotSchedule,
  listSnapshotSchedules,
  type SnapshotScheduleInput,
  updateSnapshotSchedule,
} from '../../db/snapshot-schedules.js';
import { invalidField, NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';
import { idFilter, parseQuery } from './query.js';
import {
  createSnapshotScheduleSchema,
  scheduleColumns,
  snapshotScheduleJson,
  updateSnapshotScheduleSchema,
} from './snapshot-schedules-json.js';

/** Filters of `GET /api/snapshot-schedules/`. */
export const snapshotScheduleFilters = z.object({
  virtual_machine: idFilter('Only the schedules of this VM (id).'),
});

/** The VM a schedule names must be in the inventory and on its host. @throws InvalidInputError (400). */
export async function checkScheduleVm(c: Context<AppEnv>, vmId: number | undefined): Promise<void> {
  if (vmId === undefined) return;
  const row = await getVirtualMachine(c.get('deps').db, vmId);
  if (!row?.vm.is_present) throw invalidField('virtual_machine', 'snapshot_schedules.error.vm');
}

/** Schedule `id` as answered. @throws NotFoundError. */
async function answer(c: Context<AppEnv>, id: number, status: 200 | 201 = 200) {
  const view = await getSnapshotSchedule(c.get('deps').db, id);
  if (!view) throw new NotFoundError(msg('snapshot_schedules.error.not_found', { id }));
  return c.json(snapshotScheduleJson(view, c.get('t'), c.get('locale')), status);
}

export const snapshotSchedulesApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { virtual_machine } = parseQuery(c, snapshotScheduleFilters);
    const page = paginate(c, await listSnapshotSchedules(c.get('deps').db, virtual_machine));
    return c.json(page.answer(page.rows.map((v) => snapshotScheduleJson(v, c.get('t'), c.get('locale')))));
  })
  .post('/', requireRole('operator'), async (c) => {
    const body = await parseJson(c, createSnapshotScheduleSchema);
    await checkScheduleVm(c, body.virtual_machine);
    const id = await insertSnapshotSchedule(c.get('deps').db, scheduleColumns(body) as SnapshotScheduleInput);
    return answer(c, id, 201);
  })
  .get('/:id', async (c) => answer(c, idParam(c)))
  .on(['PUT', 'PATCH'], '/:id', requireRole('operator'), async (c) => {
    const id = idParam(c);
    const { db } = c.get('deps');
    const current = await getSnapshotSchedule(db, id);
    if (!current) throw new NotFoundError(msg('snapshot_schedules.error.not_found', { id }));
    const body = await parseJson(c, updateSnapshotScheduleSchema);
    await checkScheduleVm(c, body.virtual_machine);
    await updateSnapshotSchedule(db, id, scheduleColumns(body, new Date(), current.schedule));
    return answer(c, id);
  })
  .delete('/:id', requireRole('operator'), async (c) => {
    const id = idParam(c);
    if (!(await deleteSnapshotSchedule(c.get('deps').db, id)))
      throw new NotFoundError(msg('snapshot_schedules.error.not_found', { id }));
    return c.body(null, 204);
  });
