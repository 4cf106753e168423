/**
 * @module http/api/vm-backups: `/api/vm-backups/` (list with `?status=`, `?virtual_machine=`; create
 * `{virtual_machine, storage_path?, quiesce?}`), detail, `cancel/`, `restore/`, and `/api/restores/`.
 * Status, progress and error come from each backup's durable job; the JSON is built in vm-backups-json.ts.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  createBackupJob,
  createRestoreJob,
  getBackup,
  getRestore,
  listBackups,
  listRestores,
} from '../../db/backups.js';
import type { Db } from '../../db/client.js';
import { requestCancel } from '../../db/jobs.js';
import { JOB_STATUSES } from '../../db/schema.js';
import { NotFoundError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { pageAnswer, pageRequest } from './pagination.js';
import { enumFilter, idFilter, parseQuery } from './query.js';
import { backupJson, restoreJson } from './vm-backups-json.js';

/** A row id in a body (a Postgres `integer`). */
const bodyId = z.number().int().positive().max(2_147_483_647);

/** Body of `POST /api/vm-backups/`. */
export const backupCreateSchema = z.object({
  virtual_machine: bodyId,
  storage_path: bodyId.nullish(),
  quiesce: z.boolean().default(false),
});
/** Body of `POST /api/vm-backups/{id}/restore/`. */
export const restoreCreateSchema = z.object({
  esxi_server: bodyId,
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

/** The backup with this id. @throws NotFoundError. */
async function backupOr404(db: Db, id: number) {
  const backup = await getBackup(db, id);
  if (!backup) throw new NotFoundError();
  return backup;
}

export const vmBackupsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, backupFilters);
    const request = pageRequest(c);
    const { rows, count } = await listBackups(c.get('deps').db, filters, request);
    const t = c.get('t');
    return c.json(pageAnswer(c, request, { rows: rows.map((b) => backupJson(t, b)), count }));
  })
  .post('/', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const body = await parseJson(c, backupCreateSchema);
    const backup = await createBackupJob(deps.db, {
      virtual_machine_id: body.virtual_machine,
      storage_path_id: body.storage_path,
      quiesce: body.quiesce,
      created_by: c.get('user')?.id,
    });
    deps.jobs?.wake();
    return c.json(backupJson(c.get('t'), await backupOr404(deps.db, backup.id)), 201);
  })
  .get('/:id', async (c) => c.json(backupJson(c.get('t'), await backupOr404(c.get('deps').db, idParam(c)))))
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const backup = await backupOr404(deps.db, idParam(c));
    const result = await requestCancel(deps.db, backup.job_id);
    if (result?.outcome === 'requested') deps.jobs?.cancelled(backup.job_id);
    return c.json(backupJson(c.get('t'), await backupOr404(deps.db, backup.id)));
  })
  .post('/:id/restore', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const id = idParam(c);
    const body = await parseJson(c, restoreCreateSchema);
    const restore = await createRestoreJob(deps.db, {
      vm_backup_id: id,
      esxi_server_id: body.esxi_server,
      datastore: body.datastore,
      vm_name: body.vm_name,
      power_on: body.power_on,
      created_by: c.get('user')?.id,
    });
    deps.jobs?.wake();
    const row = await getRestore(deps.db, restore.id);
    if (!row) throw new NotFoundError();
    return c.json(restoreJson(c.get('t'), row), 201);
  });

export const restoresApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, restoreFilters);
    const request = pageRequest(c);
    const { rows, count } = await listRestores(c.get('deps').db, filters, request);
    const t = c.get('t');
    return c.json(pageAnswer(c, request, { rows: rows.map((r) => restoreJson(t, r)), count }));
  })
  .get('/:id', async (c) => {
    const restore = await getRestore(c.get('deps').db, idParam(c));
    if (!restore) throw new NotFoundError();
    return c.json(restoreJson(c.get('t'), restore));
  });
