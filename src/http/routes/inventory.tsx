/** @module http/routes/inventory: the virtual machines (list and each VM's page) and datastores pages. */
import { Hono } from 'hono';
import { DatastoreListPage } from '../../../views/inventory/datastore-list.js';
import { VmListPage, VmResults } from '../../../views/inventory/vm-list.js';
import { vmProtection } from '../../backup-jobs/index.js';
import { listServers } from '../../db/esxi-servers.js';
import { listDatastores, listVirtualMachines } from '../../db/inventory.js';
import { asId } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { isHtmx, render } from '../render.js';
import { vmDetailRoutes } from './vm-detail.js';
import { vmSnapshotRoutes } from './vm-snapshots.js';

const POWER_STATES = new Set(['poweredOn', 'poweredOff', 'suspended']);

export const inventoryRoutes = new Hono<AppEnv>()
  .get('/virtual-machines', async (c) => {
    const { db } = c.get('deps');
    const power = c.req.query('power_state');
    const filter = {
      esxi_server: asId(c.req.query('esxi_server')),
      power_state: power && POWER_STATES.has(power) ? power : undefined,
      search: c.req.query('search')?.trim() || undefined,
    };
    const [{ rows }, protection] = await Promise.all([listVirtualMachines(db, filter), vmProtection(db)]);
    if (isHtmx(c)) return render(c, <VmResults rows={rows} protection={protection} />);
    const servers = await listServers(db);
    return render(c, <VmListPage rows={rows} servers={servers} filter={filter} protection={protection} />);
  })
  .route('/virtual-machines', vmDetailRoutes)
  .route('/virtual-machines', vmSnapshotRoutes)
  .get('/datastores', async (c) =>
    render(c, <DatastoreListPage rows={await listDatastores(c.get('deps').db)} />),
  );
