/**
 * @module vsphere/vm-nics — a VM's network adapters as plain data, and adding adapters to another VM (a replica
 * whose host did not take them from its .vmx), keeping their MAC addresses.
 */
import type { VSphereClient } from './client.js';
import { asArray, asNumber, asRecord, asString, type MoRef } from './normalize.js';
import { retrieveOne } from './property-collector.js';
import { runTask, type WaitForTaskOptions } from './tasks.js';

/** One network adapter: vim25 device type (e.g. `VirtualVmxnet3`), MAC address and portgroup name. */
export interface NicInfo {
  type: string;
  macAddress: string;
  network: string;
}

/** An adapter the VM has: also its device key (VirtualDevice.key, e.g. 4000) and label (`Network adapter 1`). */
export interface VmNic extends NicInfo {
  key: number;
  label: string;
}

const isNic = (type: string) => /^Virtual(E1000e?|PCNet32|SriovEthernetCard|Vmxnet\d?(Vrdma)?)$/.test(type);

/**
 * Reads a VM's network adapters (VirtualMachine.config.hardware.device, VirtualEthernetCard).
 * @returns the adapters in device order. @throws VSphereError (`ManagedObjectNotFound` when the VM is gone).
 */
export async function listNics(client: VSphereClient, vm: MoRef): Promise<VmNic[]> {
  const props = await retrieveOne(client, vm, ['config.hardware.device']);
  return asArray<Record<string, unknown>>(props['config.hardware.device'])
    .map(asRecord)
    .filter((d) => isNic(asString(d._type)))
    .map((d) => ({
      key: asNumber(d.key) ?? 0,
      label: asString(asRecord(d.deviceInfo).label),
      type: asString(d._type),
      macAddress: asString(d.macAddress),
      network: asString(asRecord(d.backing).deviceName),
    }));
}

/**
 * Adds network adapters to a VM in one VirtualMachine.ReconfigVM_Task (device changes `add`, network backing
 * by portgroup name, a manual MAC address when one is given). The VM should be powered off.
 * @param nics the adapters; each `network` must be a portgroup of the VM's host.
 * @throws VSphereError `TaskFailed` (e.g. `InvalidDeviceSpec`), `InvalidPowerState`.
 * Reference: vSphere API "VirtualMachine.ReconfigVM_Task", "VirtualDeviceConfigSpec" (operation `add`),
 *   "VirtualEthernetCard", "VirtualEthernetCardNetworkBackingInfo".
 */
export async function addNics(
  client: VSphereClient,
  vm: MoRef,
  nics: NicInfo[],
  wait: WaitForTaskOptions = {},
): Promise<void> {
  if (nics.length === 0) return;
  const deviceChange = nics.map((nic, i) => ({
    operation: 'add',
    device: {
      attributes: { xsi_type: { type: nic.type, xmlns: 'urn:vim25' } },
      key: -(i + 1),
      backing: {
        attributes: { xsi_type: { type: 'VirtualEthernetCardNetworkBackingInfo', xmlns: 'urn:vim25' } },
        deviceName: nic.network,
        useAutoDetect: false,
      },
      connectable: { startConnected: true, allowGuestControl: true, connected: false },
      addressType: nic.macAddress ? 'manual' : 'generated',
      ...(nic.macAddress ? { macAddress: nic.macAddress } : {}),
    },
  }));
  await runTask(client, 'ReconfigVM_Task', { _this: vm, spec: { deviceChange } }, wait);
}
