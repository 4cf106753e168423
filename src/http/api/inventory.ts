/**
 * @module http/api/inventory: `/api/virtual-machines/` and `/api/datastores/`, read-only with filters, but
 * for a VM's retention policy: `PUT /api/virtual-machines/{id}/retention/` sets it, `DELETE` goes back to
 * the default, and its Changed Block Tracking: `POST .../enable_change_tracking/` and
 * `.../disable_change_tracking/` (operators).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { getVirtualMachine, listDatastores, listVirtualMachines } from '../../db/inventory.js';
import { setVmRetention } from '../../db/retention.js';
import type { RetentionPolicy } from '../../db/schema.js';
import { NotFoundError } from '../../errors.js';
import { changeTracking } from '../../inventory/change-tracking.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { pageAnswer, pageRequest, paginate } from './pagination.js';
import { emptyAsMissing, idFilter, parseQuery } from './query.js';
import { retentionSchema, toPolicy, vmJson } from './vm-retention.js';

/** The VM `id` as answered. @throws NotFoundError. */
async function vmAnswer(c: Context<AppEnv>, id: number) {
  const deps = c.get('deps');
  const row = await getVirtualMachine(deps.db, id);
  if (!row) throw new NotFoundError();
  return c.json(vmJson(row, deps.config.backupRetentionCount));
}

/** Sets (or, with null, resets) the retention policy of the `:id` VM. @throws NotFoundError. */
async function saveRetention(c: Context<AppEnv>, id: number, policy: RetentionPolicy | null) {
  if (!(await setVmRetention(c.get('deps').db, id, policy))) throw new NotFoundError();
  return vmAnswer(c, id);
}

/** Filters of `GET /api/virtual-machines/`. */
export const vmFilters = z.object({
  esxi_server: idFilter('Only the VMs of this ESXi server (id).'),
  power_state: emptyAsMissing(
    z.enum(['poweredOn', 'poweredOff', 'suspended'], { error: 'field.one_of' }).optional(),
  ).describe('Only the VMs in this power state.'),
  search: emptyAsMissing(z.string().optional()).describe('Part of the VM name (case-insensitive).'),
});

/** Filters of `GET /api/datastores/`. */
export const datastoreFilters = z.object({
  esxi_server: idFilter('Only the datastores of this ESXi server (id).'),
});

export const virtualMachinesApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = parseQuery(c, vmFilters);
    const request = pageRequest(c);
    const { db, config } = c.get('deps');
    const { rows, count } = await listVirtualMachines(db, filters, request);
    const json = rows.map((row) => vmJson(row, config.backupRetentionCount));
    return c.json(pageAnswer(c, request, { rows: json, count }));
  })
  .get('/:id', async (c) => vmAnswer(c, idParam(c)))
  .put('/:id/retention', requireRole('operator'), async (c) => {
    const id = idParam(c);
    return saveRetention(c, id, toPolicy(await parseJson(c, retentionSchema)));
  })
  .delete('/:id/retention', requireRole('operator'), async (c) => saveRetention(c, idParam(c), null))
  .post('/:id/enable_change_tracking', requireRole('operator'), async (c) => {
    const id = idParam(c);
    await changeTracking(c.get('deps'), id, true);
    return vmAnswer(c, id);
  })
  .post('/:id/disable_change_tracking', requireRole('operator'), async (c) => {
    const id = idParam(c);
    await changeTracking(c.get('deps'), id, false);
    return vmAnswer(c, id);
  });

export const datastoresApi = new Hono<AppEnv>().get('/', async (c) => {
  const { esxi_server } = parseQuery(c, datastoreFilters);
  const page = paginate(c, await listDatastores(c.get('deps').db, esxi_server));
  return c.json(
    page.answer(
      page.rows.map(({ datastore, server_name }) => ({
        ...datastore,
        esxi_server: datastore.esxi_server_id,
        esxi_server_name: server_name,
        used_percent:
          datastore.capacity_bytes > 0
            ? Math.round((1 - datastore.free_bytes / datastore.capacity_bytes) * 1000) / 10
            : 0,
      })),
    ),
  );
});
