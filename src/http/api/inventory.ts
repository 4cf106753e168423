/** @module http/api/inventory: `/api/virtual-machines/` and `/api/datastores/`, read-only, with filters. */
import { Hono } from 'hono';
import { z } from 'zod';
import { getVirtualMachine, listDatastores, listVirtualMachines } from '../../db/inventory.js';
import { NotFoundError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { idParam } from './ids.js';
import { pageAnswer, pageRequest, paginate } from './pagination.js';
import { emptyAsMissing, idFilter, parseQuery } from './query.js';

type VmRow = Awaited<ReturnType<typeof listVirtualMachines>>['rows'][number];

function vmJson({ vm, server_name }: VmRow) {
  return { ...vm, esxi_server: vm.esxi_server_id, esxi_server_name: server_name };
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
    const { rows, count } = await listVirtualMachines(c.get('deps').db, filters, request);
    return c.json(pageAnswer(c, request, { rows: rows.map(vmJson), count }));
  })
  .get('/:id', async (c) => {
    const row = await getVirtualMachine(c.get('deps').db, idParam(c));
    if (!row) throw new NotFoundError();
    return c.json(vmJson(row));
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
