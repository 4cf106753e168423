/**
 * @module inventory/sync: reads a host's VMs, datastores and identity over the vSphere API and stores them.
 * The server's `connection_status` and `last_error` tell the admin how the last attempt went.
 */

import { getServerRow, updateServer } from '../db/esxi-servers.js';
import { replaceInventory } from '../db/inventory.js';
import type { AppDeps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { fetchInventory } from '../vsphere/index.js';
import { connectToServer } from './connect.js';
import { serverError } from './servers.js';

export interface SyncResult {
  vms: number;
  datastores: number;
}

/**
 * Synchronises one server's inventory.
 * @returns how many VMs and datastores the host has.
 * @throws NotFoundError (404) when there is no such server; VSphereError (after recording it on the server row).
 */
export async function syncInventory(
  deps: Pick<AppDeps, 'db' | 'config' | 'credentials' | 'logger'>,
  serverId: number,
): Promise<SyncResult> {
  const server = await getServerRow(deps.db, serverId);
  if (!server) throw new NotFoundError();
  try {
    const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
    try {
      const inventory = await fetchInventory(client);
      await replaceInventory(deps.db, serverId, {
        datastores: inventory.datastores.map((d) => ({
          moref: d.moref,
          name: d.name,
          type: d.type,
          url: d.url,
          capacity_bytes: d.capacity_bytes,
          free_bytes: d.free_bytes,
          accessible: d.accessible,
        })),
        vms: inventory.vms.map((vm) => ({
          moref: vm.moref,
          name: vm.name,
          power_state: vm.power_state,
          guest_os: vm.guest_os,
          guest_id: vm.guest_id,
          num_cpu: vm.num_cpu,
          memory_mb: vm.memory_mb,
          uuid: vm.uuid,
          instance_uuid: vm.instance_uuid,
          vmx_path: vm.vmx_path,
          change_tracking_enabled: vm.change_tracking_enabled,
          datastore: vm.datastores[0] ?? '',
          tools_status: vm.tools_status,
          ip_address: vm.ip_address,
          disks: vm.disks,
          files: vm.files,
          snapshots: vm.snapshots,
        })),
      });
      await updateServer(deps.db, serverId, {
        connection_status: 'connected',
        last_error: null,
        last_sync_at: new Date(),
        version: inventory.host.version,
        build: inventory.host.build,
        full_name: inventory.host.full_name,
        api_version: inventory.host.api_version,
        datacenter: inventory.datacenter,
      });
      deps.logger.info({ server: server.name, vms: inventory.vms.length }, 'inventory synced');
      return { vms: inventory.vms.length, datastores: inventory.datastores.length };
    } finally {
      await client.logout().catch(() => {});
    }
  } catch (err) {
    await updateServer(deps.db, serverId, { connection_status: 'error', last_error: serverError(err) });
    deps.logger.warn({ server: server.name, error: (err as Error).message }, 'inventory sync failed');
    throw err;
  }
}
