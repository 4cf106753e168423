/**
 * @module replication/page-data: what the Replication page shows: each replication with its latest run, and
 * the choices of its form (VMs with their host, servers, datastore names).
 */

import type { Db } from '../db/client.js';
import { listServers } from '../db/esxi-servers.js';
import { listDatastores, listVirtualMachines } from '../db/inventory.js';
import { latestRuns, listReplications } from '../db/replications.js';

/** Every replication with its latest run (null when it never ran). */
export async function replicationRows(db: Db) {
  const replications = await listReplications(db);
  const runs = await latestRuns(
    db,
    replications.map((r) => r.id),
  );
  return replications.map((replication) => ({ replication, run: runs.get(replication.id) ?? null }));
}

/** The form's choices: VMs present on their host (with its name), active servers, known datastore names. */
export async function replicationChoices(db: Db) {
  const [vms, servers, datastores] = await Promise.all([
    listVirtualMachines(db),
    listServers(db),
    listDatastores(db),
  ]);
  return {
    vms: vms.rows
      .filter(({ vm }) => !vm.name.endsWith('_replica'))
      .map(({ vm, server_name }) => ({ id: vm.id, name: vm.name, server_name })),
    servers: servers.filter((s) => s.is_active).map((s) => ({ id: s.id, name: s.name })),
    datastores: [...new Set(datastores.map((d) => d.datastore.name))].sort(),
  };
}
