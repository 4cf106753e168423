/**
 * @module http/api/backup-verifications: SureBackup's API (seed section 3). `/api/backup-verifications/`: list
 * (filters `status`, `ovf_export`, `vm_backup`, `test_type`), create (operators), `statistics/`, detail, DELETE;
 * `/api/verification-schedules/`: list, create, detail, PUT/PATCH, DELETE. The JSON is built by
 * backup-verifications-json.ts. Routes are written without trailing slashes (the app is not strict, so `/x/`
 * matches too).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { requestCancel } from '../../db/jobs.js';
import { TEST_TYPES, VERIFICATION_STATUSES } from '../../db/schema.js';
import { deleteSchedule, listSchedules } from '../../db/verification-schedules.js';
import { deleteVerification, listVerifications } from '../../db/verifications.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { scheduleById, verificationById } from '../../surebackup/lookup.js';
import { requestVerification } from '../../surebackup/requests.js';
import { createSchedule, updateSchedule } from '../../surebackup/schedules.js';
import { verificationStatistics } from '../../surebackup/statistics.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import {
  createScheduleSchema,
  createVerificationSchema,
  scheduleColumns,
  scheduleJson,
  updateScheduleSchema,
  verificationJson,
} from './backup-verifications-json.js';
import { idParam } from './ids.js';
import { pageAnswer, pageRequest, paginate } from './pagination.js';
import { enumFilter, idFilter, parseQuery } from './query.js';

/** Filters of `GET /api/backup-verifications/` (the seed's). */
export const verificationFilters = z.object({
  status: enumFilter(VERIFICATION_STATUSES, 'Only the verifications with this status.'),
  ovf_export: idFilter('Only the verifications of this OVF export (id).'),
  vm_backup: idFilter('Only the verifications of this backup (id).'),
  test_type: enumFilter(TEST_TYPES, 'Only the verifications of this test type.'),
});

export const backupVerificationsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, verificationFilters);
    const request = pageRequest(c);
    const { rows, count } = await listVerifications(c.get('deps').db, filters, request);
    const t = c.get('t');
    return c.json(pageAnswer(c, request, { rows: rows.map((v) => verificationJson(v, t)), count }));
  })
  .post('/', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const body = await parseJson(c, createVerificationSchema);
    const row = await requestVerification(deps, body, c.get('user')?.id ?? null);
    return c.json(verificationJson(await verificationById(deps.db, row.id), c.get('t')), 201);
  })
  .get('/statistics', async (c) => c.json(await verificationStatistics(c.get('deps').db)))
  .get('/:id', async (c) =>
    c.json(verificationJson(await verificationById(c.get('deps').db, idParam(c)), c.get('t'))),
  )
  .delete('/:id', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const v = await verificationById(deps.db, idParam(c));
    if (v.status === 'running' || v.job_status === 'IN_PROGRESS')
      throw new ConflictError('verification_running', msg('surebackup.error.running'));
    if (v.job_id && v.job_status === 'PENDING') await requestCancel(deps.db, v.job_id);
    await deleteVerification(deps.db, v.id);
    return c.body(null, 204);
  });

export const verificationSchedulesApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const page = paginate(c, await listSchedules(c.get('deps').db));
    return c.json(page.answer(page.rows.map(scheduleJson)));
  })
  .post('/', requireRole('operator'), async (c) => {
    const { db } = c.get('deps');
    const body = await parseJson(c, createScheduleSchema);
    const row = await createSchedule(db, scheduleColumns(body));
    return c.json(scheduleJson(await scheduleById(db, row.id)), 201);
  })
  .get('/:id', async (c) => c.json(scheduleJson(await scheduleById(c.get('deps').db, idParam(c)))))
  .on(['PUT', 'PATCH'], '/:id', requireRole('operator'), async (c) => {
    const { db } = c.get('deps');
    const id = idParam(c);
    const body = await parseJson(c, updateScheduleSchema);
    await updateSchedule(db, id, scheduleColumns(body));
    return c.json(scheduleJson(await scheduleById(db, id)));
  })
  .delete('/:id', requireRole('operator'), async (c) => {
    const id = idParam(c);
    if (!(await deleteSchedule(c.get('deps').db, id)))
      throw new NotFoundError(msg('surebackup.error.schedule_not_found', { id }));
    return c.body(null, 204);
  });
