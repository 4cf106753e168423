/**
 * @module http/routes/ovf-exports: the "Exports OVF" page (`/ovf-exports/`), its table fragment (polled while
 * an export runs), start (`POST /ovf-exports/start` from the Export buttons of the backup history and of a
 * VM's page: then the page; a refused one is a 400 toast), and cancel (answers the table).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { OvfExportsPage } from '../../../views/ovf/page.js';
import { OvfExportTable } from '../../../views/ovf/table.js';
import { requestCancel } from '../../db/jobs.js';
import { createOvfExport, getOvfExport, listOvfExports } from '../../db/ovf-exports.js';
import { OVF_FORMATS } from '../../db/schema.js';
import { InvalidInputError } from '../../errors.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { parseForm } from '../validation.js';

const formId = z.coerce.number().int().positive().max(2_147_483_647);
const startForm = z.object({
  vm_backup: formId.optional(),
  virtual_machine: formId.optional(),
  format: z.enum(OVF_FORMATS).default('ovf'),
});

async function tableProps(c: Context<AppEnv>) {
  const { rows } = await listOvfExports(c.get('deps').db);
  return { rows, canCancel: hasRole(c, 'operator'), canDownload: hasRole(c, 'admin') };
}

export const ovfExportRoutes = new Hono<AppEnv>()
  .get('/', async (c) => render(c, <OvfExportsPage {...(await tableProps(c))} />))
  .get('/table', async (c) => render(c, <OvfExportTable {...(await tableProps(c))} />))
  .post('/start', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const form = await parseForm(c, startForm);
    if (!form.ok) throw new InvalidInputError(form.errors);
    await createOvfExport(deps.db, {
      vm_backup_id: form.data.vm_backup,
      virtual_machine_id: form.data.virtual_machine,
      format: form.data.format,
      created_by: c.get('user')?.id,
    });
    deps.jobs?.wake();
    c.header('HX-Redirect', '/ovf-exports/');
    return c.body(null, 204);
  })
  .post('/:id/cancel', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const row = await getOvfExport(deps.db, idParam(c));
    const result = await requestCancel(deps.db, row.job_id);
    if (result?.outcome === 'requested') deps.jobs?.cancelled(row.job_id);
    c.header('HX-Trigger', 'operations-changed');
    return render(c, <OvfExportTable {...(await tableProps(c))} />);
  });
