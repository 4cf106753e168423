/**
 * @module inventory/change-tracking: turning Changed Block Tracking on or off for a VM of the inventory, on its
 * host (ReconfigVM_Task), then recording what the host reports (`virtual_machines.change_tracking_enabled`).
 * The host applies it at the VM's next stun/unstun cycle: the next backup's snapshot.
 */
import { getServerRow } from '../db/esxi-servers.js';
import { getVirtualMachine, setChangeTrackingFlag } from '../db/inventory.js';
import type { AppDeps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { msg } from '../i18n/message.js';
import { asBool, retrieveOne, setChangeTracking, vmRef } from '../vsphere/index.js';
import { connectToServer } from './connect.js';

/**
 * Asks the VM's host to track (or stop tracking) the VM's changed blocks and records the result.
 * @returns the flag the host now reports.
 * @throws NotFoundError (unknown VM); ConflictError `vm_gone` (no longer on its host); VSphereError (the
 *   host refused, e.g. a VM with snapshots or too old a virtual hardware, or cannot be reached).
 */
export async function changeTracking(deps: AppDeps, vmId: number, enabled: boolean): Promise<boolean> {
  const row = await getVirtualMachine(deps.db, vmId);
  if (!row) throw new NotFoundError();
  const server = await getServerRow(deps.db, row.vm.esxi_server_id);
  if (!row.vm.is_present || !server)
    throw new ConflictError('vm_gone', msg('backups.request.vm_gone', { vm: row.vm.name }));
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    const ref = vmRef(row.vm.moref);
    await setChangeTracking(client, ref, enabled);
    const props = await retrieveOne(client, ref, ['config.changeTrackingEnabled']);
    const now = asBool(props['config.changeTrackingEnabled']) ?? false;
    await setChangeTrackingFlag(deps.db, vmId, now);
    deps.logger.info({ vm: row.vm.name, change_tracking: now }, 'change tracking set');
    return now;
  } finally {
    await client.logout();
  }
}
