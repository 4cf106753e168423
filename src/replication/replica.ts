/**
 * @module replication/replica: the replica VM on the destination host: its name (`<vm>_replica`), finding it,
 * its power state, marking it as a replica (annotation) and deleting it (powered off first, then destroyed
 * with its files).
 * @see ../shared/seeds/000_51d0a8809ce1434c.txt (replica-exists check, delete and retry)
 */
import { translator } from '../i18n/translate.js';
import {
  asString,
  destroyVm,
  type MoRef,
  powerOff,
  reconfigVm,
  retrieveAll,
  retrieveOne,
  toVSphereError,
  type VSphereClient,
} from '../vsphere/index.js';
import { listPortgroups } from '../vsphere/network.js';
import { addNics, listNics } from '../vsphere/vm-nics.js';

/** The replica's name for a VM: `<vm>_replica`. */
export const replicaNameFor = (vmName: string) => `${vmName}_replica`;

/** What the app knows of a VM found on a host. */
export interface FoundVm {
  ref: MoRef;
  name: string;
  /** `poweredOn`, `poweredOff` or `suspended`. */
  powerState: string;
}

/**
 * Finds a VM by its exact name (VirtualMachine.name through the property collector).
 * @returns the VM, or null when the host has none of that name.
 * @throws VSphereError (host unreachable, session refused).
 */
export async function findVmByName(client: VSphereClient, name: string): Promise<FoundVm | null> {
  const vms = await retrieveAll(client, 'VirtualMachine', ['name', 'runtime.powerState']);
  const found = vms.find((v) => asString(v.props.name) === name);
  if (!found) return null;
  return { ref: found.ref, name, powerState: asString(found.props['runtime.powerState']) };
}

/**
 * A VM's power state (VirtualMachine.runtime.powerState).
 * @returns `poweredOn`, `poweredOff`, `suspended`, or null when the VM no longer exists.
 */
export async function powerStateOf(client: VSphereClient, vm: MoRef): Promise<string | null> {
  try {
    return asString((await retrieveOne(client, vm, ['runtime.powerState']))['runtime.powerState']);
  } catch (err) {
    if (toVSphereError(err).code === 'ManagedObjectNotFound') return null;
    throw toVSphereError(err);
  }
}

/** Powers a VM off unless it already is. @returns whether it was on. @throws VSphereError. */
export async function ensurePoweredOff(client: VSphereClient, vm: MoRef): Promise<boolean> {
  const state = await powerStateOf(client, vm);
  if (state !== 'poweredOn' && state !== 'suspended') return false;
  await powerOff(client, vm);
  return true;
}

/**
 * Writes the replica's annotation (VirtualMachine.ReconfigVM_Task, `annotation`), so that an admin looking
 * at the destination host sees what the VM is and must not be powered on outside a failover. The host has no
 * reader's language: the annotation is written in the app's default one (French).
 */
export async function markAsReplica(
  client: VSphereClient,
  vm: MoRef,
  info: { vmName: string; sourceHost: string; replicationId: number },
): Promise<void> {
  const annotation = translator('fr')('replication.annotation', {
    vm: info.vmName,
    server: info.sourceHost,
    id: info.replicationId,
  });
  await reconfigVm(client, vm, { annotation });
}

/**
 * Deletes a replica: powers it off if needed, then ManagedEntity.Destroy_Task (unregisters it and deletes its
 * files). A VM that is already gone counts as deleted.
 * @throws VSphereError for any other failure.
 */
export async function deleteReplicaVm(client: VSphereClient, vm: MoRef): Promise<void> {
  try {
    await ensurePoweredOff(client, vm);
    await destroyVm(client, vm);
  } catch (err) {
    if (toVSphereError(err).code !== 'ManagedObjectNotFound') throw toVSphereError(err);
  }
}

/**
 * Gives a new replica its source's network adapters when its host did not take them from the .vmx (same type
 * and MAC address; the same portgroup when the destination has it, else its first one). A replica that has
 * adapters already is left alone. @returns how many adapters were added.
 */
export async function ensureReplicaNics(
  source: { client: VSphereClient; vm: MoRef },
  dest: { client: VSphereClient; vm: MoRef },
): Promise<number> {
  if ((await listNics(dest.client, dest.vm)).length > 0) return 0;
  const nics = await listNics(source.client, source.vm);
  if (nics.length === 0) return 0;
  const portgroups = await listPortgroups(dest.client);
  const fallback = portgroups.includes('VM Network') ? 'VM Network' : (portgroups[0] ?? 'VM Network');
  const mapped = nics.map((n) => ({ ...n, network: portgroups.includes(n.network) ? n.network : fallback }));
  await addNics(dest.client, dest.vm, mapped);
  return mapped.length;
}
