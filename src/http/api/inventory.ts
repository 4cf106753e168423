/** @module http/api/inventory: `/api/virtual-machines/` and `/api/datastores/`, read-only, with filters. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getVirtualMachine, listDatastores, listVirtualMachines } from '../../db/inventory.js';
import type { AppEnv } from '../context.js';
import { idParam, optionalIdQuery } from './ids.js';

type VmRow = Awaited<ReturnType<typeof listVirtualMachines>>[number];

function vmJson({ vm, server_name }: VmRow) {
  return { ...vm, esxi_server: vm.esxi_server_id, esxi_server_name: server_name };
}

const POWER_STATES = new Set(['poweredOn', 'poweredOff', 'suspended']);

export const virtualMachinesApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const power_state = c.req.query('power_state') || undefined;
    if (power_state && !POWER_STATES.has(power_state)) {
      throw new HTTPException(400, { message: 'power_state must be poweredOn, poweredOff or suspended' });
    }
    const rows = await listVirtualMachines(c.get('deps').db, {
      esxi_server: optionalIdQuery(c, 'esxi_server'),
      power_state,
      search: c.req.query('search') || undefined,
    });
    return c.json(rows.map(vmJson));
  })
  .get('/:id', async (c) => {
    const row = await getVirtualMachine(c.get('deps').db, idParam(c));
    if (!row) throw new HTTPException(404, { message: 'Not found.' });
    return c.json(vmJson(row));
  });

export const datastoresApi = new Hono<AppEnv>().get('/', async (c) => {
  const rows = await listDatastores(c.get('deps').db, optionalIdQuery(c, 'esxi_server'));
  return c.json(
    rows.map(({ datastore, server_name }) => ({
      ...datastore,
      esxi_server: datastore.esxi_server_id,
      esxi_server_name: server_name,
      used_percent:
        datastore.capacity_bytes > 0
          ? Math.round((1 - datastore.free_bytes / datastore.capacity_bytes) * 1000) / 10
          : 0,
    })),
  );
});
