/**
 * @module http/api/ovf-imports: `POST /api/ovf-exports/{id}/import/` `{esxi_server, datastore, vm_name,
 * power_on}` (operators): queues an `ovf_import` job and answers it with its operation's URL. Mounted beside
 * `ovfExportsApi` under `/api/ovf-exports`.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { createOvfImport, getOvfImport, type OvfImportItem } from '../../db/ovf-imports.js';
import type { Translate } from '../../i18n/translate.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { errorJson, iso } from './operations-json.js';

const bodyId = z.number().int().positive().max(2_147_483_647);

/** Body of `POST /api/ovf-exports/{id}/import/`. */
export const ovfImportCreateSchema = z.object({
  esxi_server: bodyId.describe('The host to import to (active).'),
  datastore: z.string().trim().min(1).describe('A datastore of that host.'),
  vm_name: z.string().trim().min(1).max(80).describe('The new VM’s name (not one the host already has).'),
  power_on: z.boolean().default(false).describe('Power the VM on once imported.'),
});

/** An import as the API answers it, with its job's state and the URL to poll. */
export function ovfImportJson(t: Translate, i: OvfImportItem) {
  return {
    id: i.id,
    job_id: i.job_id,
    progress_url: `/api/operations/${i.job_id}/`,
    ovf_export: i.ovf_export_id,
    esxi_server: i.esxi_server_id,
    datastore: i.datastore,
    vm_name: i.vm_name,
    power_on: i.power_on,
    vm_moref: i.vm_moref,
    status: i.status,
    progress: i.progress,
    bytes_done: i.bytes_done,
    bytes_total: i.bytes_total,
    step: t.stored(i.step),
    ...errorJson(t, i.error),
    created_at: iso(i.created_at) as string,
    started_at: iso(i.started_at),
    finished_at: iso(i.finished_at),
  };
}

export const ovfImportsApi = new Hono<AppEnv>().post('/:id/import', requireRole('operator'), async (c) => {
  const deps = c.get('deps');
  const body = await parseJson(c, ovfImportCreateSchema);
  const row = await createOvfImport(deps.db, {
    ovf_export_id: idParam(c),
    esxi_server_id: body.esxi_server,
    datastore: body.datastore,
    vm_name: body.vm_name,
    power_on: body.power_on,
    created_by: c.get('user')?.id,
  });
  deps.jobs?.wake();
  return c.json(ovfImportJson(c.get('t'), await getOvfImport(deps.db, row.id)), 201);
});
