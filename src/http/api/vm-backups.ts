/**
 * @module http/api/vm-backups: `/api/vm-backups/` (list with `?status=`, `?virtual_machine=`; create
 * `{virtual_machine, storage_path?, quiesce?}`), detail, `cancel/`, `restore/`, and `/api/restores/`.
 * Status, progress and error come from each backup's durable job.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  BackupRequestError,
  createBackupJob,
  createRestoreJob,
  getBackup,
  getRestore,
  listBackups,
  listRestores,
} from '../../db/backups.js';
import { requestCancel } from '../../db/jobs.js';
import { JOB_STATUSES } from '../../db/schema.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { pageAnswer, pageRequest } from './pagination.js';
import { enumFilter, idFilter, parseQuery } from './query.js';

/** Body of `POST /api/vm-backups/`. */
export const backupCreateSchema = z.object({
  virtual_machine: z.number().int().positive(),
  storage_path: z.number().int().positive().nullish(),
  quiesce: z.boolean().default(false),
});
/** Body of `POST /api/vm-backups/{id}/restore/`. */
export const restoreCreateSchema = z.object({
  esxi_server: z.number().int().positive(),
  datastore: z.string().trim().min(1),
  vm_name: z.string().trim().min(1).max(80),
  power_on: z.boolean().default(false),
});

/** Filters of `GET /api/vm-backups/`. */
export const backupFilters = z.object({
  status: enumFilter(JOB_STATUSES, 'Only the backups whose job has this status.'),
  virtual_machine: idFilter('Only the backups of this VM (id).'),
});

/** Filters of `GET /api/restores/`. */
export const restoreFilters = z.object({ vm_backup: idFilter('Only the restores of this backup (id).') });

function badRequest(err: unknown): never {
  if (err instanceof BackupRequestError) throw new HTTPException(400, { message: err.message });
  throw err;
}

async function found<T>(value: Promise<T | null>): Promise<T> {
  const row = await value;
  if (!row) throw new HTTPException(404, { message: 'Not found.' });
  return row;
}

export const vmBackupsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, backupFilters);
    const request = pageRequest(c);
    return c.json(pageAnswer(c, request, await listBackups(c.get('deps').db, filters, request)));
  })
  .post('/', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const body = await parseJson(c, backupCreateSchema);
    const backup = await createBackupJob(deps.db, {
      virtual_machine_id: body.virtual_machine,
      storage_path_id: body.storage_path,
      quiesce: body.quiesce,
      created_by: c.get('user')?.id,
    }).catch(badRequest);
    deps.jobs?.wake();
    return c.json(await getBackup(deps.db, backup.id), 201);
  })
  .get('/:id', async (c) => c.json(await found(getBackup(c.get('deps').db, idParam(c)))))
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const backup = await found(getBackup(deps.db, idParam(c)));
    const result = await requestCancel(deps.db, backup.job_id);
    if (result?.outcome === 'requested') deps.jobs?.cancelled(backup.job_id);
    return c.json(await getBackup(deps.db, backup.id));
  })
  .post('/:id/restore', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const body = await parseJson(c, restoreCreateSchema);
    const restore = await createRestoreJob(deps.db, {
      vm_backup_id: idParam(c),
      esxi_server_id: body.esxi_server,
      datastore: body.datastore,
      vm_name: body.vm_name,
      power_on: body.power_on,
      created_by: c.get('user')?.id,
    }).catch(badRequest);
    deps.jobs?.wake();
    return c.json(await getRestore(deps.db, restore.id), 201);
  });

export const restoresApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, restoreFilters);
    const request = pageRequest(c);
    return c.json(pageAnswer(c, request, await listRestores(c.get('deps').db, filters, request)));
  })
  .get('/:id', async (c) => c.json(await found(getRestore(c.get('deps').db, idParam(c)))));
