/** @module vsphere/vm-ops — typed wrappers for the VM operations a backup needs (snapshots, power, register). */
import type { VSphereClient } from './client.js';
import type { MoRef } from './normalize.js';
import { runTask, type WaitForTaskOptions, waitForTask } from './tasks.js';

/** A VirtualMachine MoRef from its id (e.g. `'vm-42'` or an ESXi numeric id like `'3'`). */
export const vmRef = (value: string): MoRef => ({ type: 'VirtualMachine', value });
/** A VirtualMachineSnapshot MoRef from its id. */
export const snapshotRef = (value: string): MoRef => ({ type: 'VirtualMachineSnapshot', value });

/** What CreateSnapshot_Task is asked: memory includes RAM, quiesce asks VMware Tools to quiesce the guest. */
export interface SnapshotSpec {
  name: string;
  description?: string;
  memory?: boolean;
  quiesce?: boolean;
}

/**
 * Starts a snapshot (VirtualMachine.CreateSnapshot_Task) without waiting, so that the caller may cancel it.
 * @returns the Task MoRef (its result, once done, is the new snapshot's MoRef).
 * @throws VSphereError `ManagedObjectNotFound`, `RestrictedVersion`, `InvalidPowerState`.
 */
export async function startCreateSnapshot(
  client: VSphereClient,
  vm: MoRef,
  spec: SnapshotSpec,
): Promise<MoRef> {
  const { name, description = '', memory = false, quiesce = false } = spec;
  return (await client.call('CreateSnapshot_Task', {
    _this: vm,
    name,
    description,
    memory,
    quiesce,
  })) as MoRef;
}

/**
 * Creates a snapshot (VirtualMachine.CreateSnapshot_Task) and waits for it.
 * @param opts.memory include RAM (default false); opts.quiesce quiesce the guest via VMware Tools (default false).
 * @returns the new snapshot's MoRef.
 * @throws VSphereError `TaskFailed`, `InvalidPowerState`, `RestrictedVersion`, `ManagedObjectNotFound`.
 */
export async function createSnapshot(
  client: VSphereClient,
  vm: MoRef,
  opts: SnapshotSpec & WaitForTaskOptions,
): Promise<MoRef> {
  const { name, description, memory, quiesce, ...wait } = opts;
  const task = await startCreateSnapshot(client, vm, { name, description, memory, quiesce });
  return (await waitForTask(client, task, wait)) as MoRef;
}

/**
 * Reverts a VM to a snapshot (VirtualMachineSnapshot.RevertToSnapshot_Task). The VM takes the snapshot's power
 * state: a running VM reverted to a snapshot taken without memory ends powered off.
 * @throws VSphereError `TaskFailed`, `ManagedObjectNotFound`, `InvalidPowerState`, `RestrictedVersion`.
 */
export async function revertToSnapshot(
  client: VSphereClient,
  snapshot: MoRef,
  wait: WaitForTaskOptions = {},
) {
  await runTask(client, 'RevertToSnapshot_Task', { _this: snapshot }, wait);
}

/**
 * Removes one snapshot (VirtualMachineSnapshot.RemoveSnapshot_Task), keeping its children, consolidating disks.
 * @throws VSphereError `TaskFailed`, `ManagedObjectNotFound`, `RestrictedVersion`.
 */
export async function removeSnapshot(client: VSphereClient, snapshot: MoRef, wait: WaitForTaskOptions = {}) {
  await runTask(
    client,
    'RemoveSnapshot_Task',
    { _this: snapshot, removeChildren: false, consolidate: true },
    wait,
  );
}

/** Removes every snapshot of a VM (VirtualMachine.RemoveAllSnapshots_Task). */
export async function removeAllSnapshots(client: VSphereClient, vm: MoRef, wait: WaitForTaskOptions = {}) {
  await runTask(client, 'RemoveAllSnapshots_Task', { _this: vm, consolidate: true }, wait);
}

/** Powers a VM on (VirtualMachine.PowerOnVM_Task). @throws VSphereError `InvalidPowerState` if already on. */
export async function powerOn(client: VSphereClient, vm: MoRef, wait: WaitForTaskOptions = {}) {
  await runTask(client, 'PowerOnVM_Task', { _this: vm }, wait);
}

/** Hard powers a VM off (VirtualMachine.PowerOffVM_Task). @throws VSphereError `InvalidPowerState` if already off. */
export async function powerOff(client: VSphereClient, vm: MoRef, wait: WaitForTaskOptions = {}) {
  await runTask(client, 'PowerOffVM_Task', { _this: vm }, wait);
}

/**
 * Registers a .vmx into a VM folder (Folder.RegisterVM_Task).
 * @param opts.vmxPath datastore path `[ds] dir/vm.vmx`; pool: the host's root resource pool; host optional.
 * @returns the new VM's MoRef.
 */
export async function registerVm(
  client: VSphereClient,
  opts: { folder: MoRef; vmxPath: string; name?: string; pool: MoRef; host?: MoRef } & WaitForTaskOptions,
): Promise<MoRef> {
  const { folder, vmxPath, name, pool, host, ...wait } = opts;
  const args = { _this: folder, path: vmxPath, name, asTemplate: false, pool, host };
  return (await runTask(client, 'RegisterVM_Task', args, wait)) as MoRef;
}

/** Removes a VM from the inventory, keeping its files (VirtualMachine.UnregisterVM). */
export async function unregisterVm(client: VSphereClient, vm: MoRef): Promise<void> {
  await client.call('UnregisterVM', { _this: vm });
}

/** Deletes a VM and its files (ManagedEntity.Destroy_Task). */
export async function destroyVm(client: VSphereClient, vm: MoRef, wait: WaitForTaskOptions = {}) {
  await runTask(client, 'Destroy_Task', { _this: vm }, wait);
}

// The simulator (govmomi) only understands the conventional `xsd:` prefix in xsi:type values.
const XSD_STRING = { type: 'string', prefix: 'xsd', xmlns: 'http://www.w3.org/2001/XMLSchema' };

/** Subset of VirtualMachineConfigSpec supported by the trimmed WSDL (fields in schema order). */
export interface VmConfigSpec {
  name?: string;
  annotation?: string;
  numCPUs?: number;
  memoryMB?: number;
  changeTrackingEnabled?: boolean;
  extraConfig?: Array<{ key: string; value: string }>;
}

/** Reconfigures a VM (VirtualMachine.ReconfigVM_Task), e.g. `{ changeTrackingEnabled: true }` for CBT. */
export async function reconfigVm(
  client: VSphereClient,
  vm: MoRef,
  spec: VmConfigSpec,
  wait: WaitForTaskOptions = {},
) {
  const extraConfig = spec.extraConfig?.map(({ key, value }) => ({
    key,
    value: {
      attributes: { xsi_type: { ...XSD_STRING } },
      $value: value,
    },
  }));
  const ordered = { ...spec, extraConfig };
  await runTask(client, 'ReconfigVM_Task', { _this: vm, spec: ordered }, wait);
}
