/**
 * @module http/api/backup-verifications: SureBackup's API (seed section 3). `/api/backup-verifications/`: list
 * (filters `status`, `ovf_export`, `vm_backup`, `test_type`), create (operators), `statistics/`, detail, DELETE;
 * `/api/verification-schedules/`: list, create, detail, PUT/PATCH, DELETE. Routes are written without trailing
 * slashes (the app is not strict, so `/x/` matches too).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestCancel } from '../../db/jobs.js';
import { TEST_TYPES, VERIFICATION_STATUSES } from '../../db/schema.js';
import {
  deleteVerification,
  getVerification,
  listVerifications,
  type TestType,
  type VerificationStatus,
} from '../../db/verifications.js';
import {
  createScheduleSchema,
  createVerificationSchema,
  scheduleColumns,
  scheduleJson,
  updateScheduleSchema,
  verificationJson,
} from '../../surebackup/api-shapes.js';
import { asValidation, requestVerification } from '../../surebackup/requests.js';
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  type ScheduleInput,
  updateSchedule,
} from '../../surebackup/schedules-db.js';
import { verificationStatistics } from '../../surebackup/statistics.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam, optionalIdQuery } from './ids.js';

function enumQuery<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (!value) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new HTTPException(400, { message: `${name} must be one of ${allowed.join(', ')}` });
  return value as T;
}

async function found<T>(value: Promise<T | null>): Promise<T> {
  const row = await value;
  if (!row) throw new HTTPException(404, { message: 'Not found.' });
  return row;
}

export const backupVerificationsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filter = {
      status: enumQuery<VerificationStatus>(c.req.query('status'), 'status', VERIFICATION_STATUSES),
      test_type: enumQuery<TestType>(c.req.query('test_type'), 'test_type', TEST_TYPES),
      vm_backup: optionalIdQuery(c, 'vm_backup'),
      ovf_export: optionalIdQuery(c, 'ovf_export'),
    };
    return c.json((await listVerifications(c.get('deps').db, filter)).map(verificationJson));
  })
  .post('/', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const body = await parseJson(c, createVerificationSchema);
    const row = await requestVerification(deps, body, c.get('user')?.id ?? null);
    return c.json(verificationJson(await found(getVerification(deps.db, row.id))), 201);
  })
  .get('/statistics', async (c) => c.json(await verificationStatistics(c.get('deps').db)))
  .get('/:id', async (c) =>
    c.json(verificationJson(await found(getVerification(c.get('deps').db, idParam(c))))),
  )
  .delete('/:id', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const v = await found(getVerification(deps.db, idParam(c)));
    if (v.status === 'running' || v.job_status === 'IN_PROGRESS') {
      throw new HTTPException(409, {
        message: 'This verification is running: cancel it first, then delete it.',
      });
    }
    if (v.job_id && v.job_status === 'PENDING') await requestCancel(deps.db, v.job_id);
    await deleteVerification(deps.db, v.id);
    return c.body(null, 204);
  });

export const verificationSchedulesApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json((await listSchedules(c.get('deps').db)).map(scheduleJson)))
  .post('/', requireRole('operator'), async (c) => {
    const { db } = c.get('deps');
    const body = await parseJson(c, createScheduleSchema);
    const row = await asValidation(createSchedule(db, scheduleColumns(body) as ScheduleInput));
    return c.json(scheduleJson(await found(getSchedule(db, row.id))), 201);
  })
  .get('/:id', async (c) => c.json(scheduleJson(await found(getSchedule(c.get('deps').db, idParam(c))))))
  .on(['PUT', 'PATCH'], '/:id', requireRole('operator'), async (c) => {
    const { db } = c.get('deps');
    const id = idParam(c);
    const body = await parseJson(c, updateScheduleSchema);
    await found(asValidation(updateSchedule(db, id, scheduleColumns(body))));
    return c.json(scheduleJson(await found(getSchedule(db, id))));
  })
  .delete('/:id', requireRole('operator'), async (c) => {
    if (!(await deleteSchedule(c.get('deps').db, idParam(c))))
      throw new HTTPException(404, { message: 'Not found.' });
    return c.body(null, 204);
  });
