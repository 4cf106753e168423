/** @module vsphere/placement — where a VM can be registered on a standalone host: datacenter, VM folder, root pool. */
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { VSphereError } from './errors.js';
import { asMoRef, asString, type MoRef } from './normalize.js';
import { retrieveAll } from './property-collector.js';

/** The objects RegisterVM_Task needs. */
export interface Placement {
  /** Datacenter name (`ha-datacenter` on ESXi), for datastore HTTP `dcPath`. */
  datacenter: string;
  vmFolder: MoRef;
  /** Root resource pool of the host's compute resource. */
  pool: MoRef;
  host: MoRef | undefined;
}

/**
 * Finds the first datacenter's VM folder and the root resource pool of its first compute resource
 * (a standalone ESXi host has exactly one of each), through the property collector.
 * @throws VSphereError `ManagedObjectNotFound` when the host exposes no datacenter or compute resource.
 * Reference: vSphere API "Datacenter.vmFolder", "ComputeResource.resourcePool", "Folder.RegisterVM_Task".
 */
export async function findPlacement(client: VSphereClient): Promise<Placement> {
  const [dcs, crs] = await Promise.all([
    retrieveAll(client, 'Datacenter', ['name', 'vmFolder']),
    retrieveAll(client, 'ComputeResource', ['resourcePool', 'host']),
  ]);
  const dc = dcs[0];
  const cr = crs[0];
  const vmFolder = asMoRef(dc?.props.vmFolder);
  const pool = asMoRef(cr?.props.resourcePool);
  if (!dc || !vmFolder || !pool) {
    throw new VSphereError('ManagedObjectNotFound', msg('vsphere.no_placement'));
  }
  const hosts = cr?.props.host;
  const host = asMoRef(Array.isArray(hosts) ? hosts[0] : hosts) ?? undefined;
  return { datacenter: asString(dc.props.name), vmFolder, pool, host };
}
