/**
 * @module http/routes/ovf-imports: the Import dialog of the "Exports OVF" page (`GET /ovf-exports/{id}/import`,
 * its datastore field per host `GET /ovf-exports/import-datastores`) and its submit (`POST`: queues the
 * `ovf_import` job, closes the dialog and tells the operations widget; a refused one re-renders the dialog
 * with the field messages). Mounted beside `ovfExportRoutes` under `/ovf-exports`.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { OvfImportDatastoreSelect, OvfImportDialog } from '../../../views/ovf/import-dialog.js';
import { listServers } from '../../db/esxi-servers.js';
import { listDatastores } from '../../db/inventory.js';
import { getOvfExport } from '../../db/ovf-exports.js';
import { createOvfImport } from '../../db/ovf-imports.js';
import { InvalidInputError } from '../../errors.js';
import { asId, idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { parseForm, renderFields } from '../validation.js';
import { triggerOperationsChanged } from './operations.js';

const importForm = z.object({
  esxi_server: z.coerce.number().int().positive().max(2_147_483_647),
  datastore: z.string().trim().min(1),
  vm_name: z.string().trim().min(1).max(80),
  power_on: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
});

/** The active hosts and the datastores of the chosen one (default: the first). */
async function choices(c: Context<AppEnv>, serverId?: number) {
  const { db } = c.get('deps');
  const servers = (await listServers(db)).filter((s) => s.is_active);
  const chosen = serverId ?? servers[0]?.id;
  const datastores = chosen ? await listDatastores(db, chosen) : [];
  return {
    servers: servers.map((s) => ({ id: s.id, name: s.name })),
    datastores: datastores.map(({ datastore }) => ({
      name: datastore.name,
      free_bytes: datastore.free_bytes,
    })),
  };
}

export const ovfImportRoutes = new Hono<AppEnv>()
  .get('/import-datastores', requireRole('operator'), async (c) => {
    const { datastores } = await choices(c, asId(c.req.query('esxi_server')));
    return render(c, <OvfImportDatastoreSelect datastores={datastores} />);
  })
  .get('/:id/import', requireRole('operator'), async (c) => {
    const exp = await getOvfExport(c.get('deps').db, idParam(c));
    const values = { vm_name: `${exp.vm_name}-imported`, power_on: false };
    return render(
      c,
      <OvfImportDialog exportId={exp.id} vmName={exp.vm_name} choices={await choices(c)} values={values} />,
    );
  })
  .post('/:id/import', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const exp = await getOvfExport(deps.db, idParam(c));
    const form = await parseForm(c, importForm);
    const again = async (values: Record<string, unknown>, errors: Record<string, string[]>) => {
      const dialog = (
        <OvfImportDialog
          exportId={exp.id}
          vmName={exp.vm_name}
          choices={await choices(c, asId(String(values.esxi_server ?? '')))}
          values={values}
          errors={errors}
        />
      );
      return render(c, dialog, 400);
    };
    if (!form.ok) return again(form.values, form.errors);
    try {
      await createOvfImport(deps.db, {
        ovf_export_id: exp.id,
        esxi_server_id: form.data.esxi_server,
        datastore: form.data.datastore,
        vm_name: form.data.vm_name,
        power_on: form.data.power_on,
        created_by: c.get('user')?.id,
      });
    } catch (err) {
      if (err instanceof InvalidInputError)
        return again(form.data, renderFields(c.get('t'), err.fields ?? {}));
      throw err;
    }
    deps.jobs?.wake();
    triggerOperationsChanged(c, {
      level: 'success',
      message: c.get('t')('ovf.import.queued', { vm: form.data.vm_name }),
    });
    return c.html('');
  });
