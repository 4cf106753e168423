/**
 * @module vsphere/vm-export — exporting a VM from its host: `VirtualMachine.ExportVm` (the lease is then
 * driven with nfc-lease.ts), and the live configuration an OVF descriptor describes (name, guest, CPUs,
 * memory, disks with their capacity, network adapters with their network).
 * Reference: vSphere API "VirtualMachine.ExportVm", "VirtualMachineConfigInfo", "VirtualDisk",
 *   "VirtualEthernetCard".
 */
import type { VSphereClient } from './client.js';
import { asArray, asNumber, asRecord, asString, type MoRef } from './normalize.js';
import { retrieveOne } from './property-collector.js';

/** A disk of the VM: device key, label (`Hard disk 1`) and capacity in bytes. */
export interface ExportDisk {
  key: number;
  label: string;
  capacityBytes: number;
}

/** A network adapter: the network (portgroup) it is on and its adapter type as a .vmx names it (`vmxnet3`). */
export interface ExportNic {
  network: string;
  adapter: string;
}

/** What an export describes of a VM, read from its live configuration. */
export interface ExportConfig {
  name: string;
  powerState: string;
  guestId: string;
  guestOs: string;
  numCpu: number;
  memoryMb: number;
  disks: ExportDisk[];
  nics: ExportNic[];
}

const isNic = (type: string) => /^Virtual(E1000e?|PCNet32|SriovEthernetCard|Vmxnet\d?(Vrdma)?)$/.test(type);

/**
 * Starts an export of a powered-off VM (VirtualMachine.ExportVm).
 * @returns the HttpNfcLease MoRef (then `waitForLeaseReady`, download, `completeLease` or `abortLease`).
 * @throws VSphereError `InvalidPowerState` when the VM is not powered off, `ManagedObjectNotFound`,
 *   `Fault` (e.g. `TaskInProgress`, `FileFault`).
 */
export async function exportVm(client: VSphereClient, vm: MoRef): Promise<MoRef> {
  return (await client.call('ExportVm', { _this: vm })) as MoRef;
}

/**
 * Reads the VM's configuration as an export describes it (property collector: name, runtime.powerState,
 * config.guestId, config.guestFullName, config.hardware numCPU, memoryMB and devices).
 * @returns disks and adapters in device order; an adapter's network is its backing's `deviceName`.
 * @throws VSphereError `ManagedObjectNotFound` when the VM is gone.
 */
export async function readExportConfig(client: VSphereClient, vm: MoRef): Promise<ExportConfig> {
  const props = await retrieveOne(client, vm, [
    'name',
    'runtime.powerState',
    'config.guestId',
    'config.guestFullName',
    'config.hardware.numCPU',
    'config.hardware.memoryMB',
    'config.hardware.device',
  ]);
  const devices = asArray<Record<string, unknown>>(props['config.hardware.device']).map(asRecord);
  return {
    name: asString(props.name),
    powerState: asString(props['runtime.powerState']),
    guestId: asString(props['config.guestId']) || 'otherGuest',
    guestOs: asString(props['config.guestFullName']),
    numCpu: asNumber(props['config.hardware.numCPU']) || 1,
    memoryMb: asNumber(props['config.hardware.memoryMB']) || 1,
    disks: devices
      .filter((d) => d._type === 'VirtualDisk')
      .map((d) => ({
        key: asNumber(d.key) ?? 0,
        label: asString(asRecord(d.deviceInfo).label),
        capacityBytes: asNumber(d.capacityInBytes) ?? (asNumber(d.capacityInKB) ?? 0) * 1024,
      })),
    nics: devices
      .filter((d) => isNic(asString(d._type)))
      .map((d) => ({
        network: asString(asRecord(d.backing).deviceName) || 'VM Network',
        adapter: asString(d._type)
          .replace(/^Virtual/, '')
          .toLowerCase(),
      })),
  };
}
