/**
 * @module vsphere/network — the host's standard portgroups (list, add) and moving a VM's network adapters onto
 * one portgroup (ReconfigVM_Task, device `edit`), e.g. an isolated test network before a copy is powered on.
 * Used by SureBackup (src/surebackup) and the replication's test failover.
 */
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { VSphereError } from './errors.js';
import { asArray, asBool, asMoRef, asNumber, asRecord, asString, type MoRef } from './normalize.js';
import { retrieveAll, retrieveOne } from './property-collector.js';
import { runTask, type WaitForTaskOptions } from './tasks.js';

/** vim25 types of VirtualEthernetCard (every network adapter kind a VM may have). */
const NIC_TYPES = new Set([
  'VirtualE1000',
  'VirtualE1000e',
  'VirtualPCNet32',
  'VirtualSriovEthernetCard',
  'VirtualVmxnet',
  'VirtualVmxnet2',
  'VirtualVmxnet3',
  'VirtualVmxnet3Vrdma',
]);

const vim = (type: string) => ({ xsi_type: { type, xmlns: 'urn:vim25' } });

/** The Network objects of the host (one per standard portgroup, named after it), with their MoRef. */
async function networks(client: VSphereClient): Promise<Array<{ name: string; ref: MoRef }>> {
  const found = await retrieveAll(client, 'Network', ['name']);
  return found.map((n) => ({ name: asString(n.props.name), ref: n.ref })).filter((n) => n.name);
}

/**
 * The host's HostNetworkSystem (HostSystem.configManager.networkSystem).
 * @throws VSphereError `ManagedObjectNotFound` when the host has none.
 */
export async function networkSystem(client: VSphereClient): Promise<MoRef> {
  const [host] = await retrieveAll(client, 'HostSystem', ['configManager.networkSystem']);
  const ref = asMoRef(host?.props['configManager.networkSystem']);
  if (!ref) throw new VSphereError('ManagedObjectNotFound', msg('vsphere.no_network_system'));
  return ref;
}

/**
 * Lists the host's networks: the Network objects (standard portgroups seen by VMs) and the portgroups of the
 * HostNetworkSystem (a portgroup not yet shown as a Network object), each name once, sorted.
 * @returns portgroup names, e.g. `['VM Network', 'VM Network Isolated']`.
 * @throws VSphereError when the host cannot be read.
 * Reference: vSphere API "Network", "HostNetworkSystem.networkInfo" (HostNetworkInfo.portgroup).
 */
export async function listPortgroups(client: VSphereClient): Promise<string[]> {
  const names = new Set((await networks(client)).map((n) => n.name));
  const info = asRecord(
    (await retrieveOne(client, await networkSystem(client), ['networkInfo'])).networkInfo,
  );
  for (const pg of asArray(info.portgroup)) {
    const name = asString(asRecord(asRecord(pg).spec).name);
    if (name) names.add(name);
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

/**
 * Adds a standard portgroup to a virtual switch of the host (HostNetworkSystem.AddPortGroup), with the switch's
 * default policy.
 * @param spec.vswitch default `vSwitch0`; spec.vlanId 0-4095, default 0 (no VLAN), e.g. 999 for an isolated VLAN.
 * @throws VSphereError `AlreadyExists`/`DuplicateName` (faultType) when the name is taken, `NotFound` for an
 *   unknown switch.
 * Reference: vSphere API "HostNetworkSystem.AddPortGroup", "HostPortGroupSpec".
 */
export async function addPortgroup(
  client: VSphereClient,
  spec: { name: string; vswitch?: string; vlanId?: number },
): Promise<void> {
  const portgrp = {
    name: spec.name,
    vlanId: spec.vlanId ?? 0,
    vswitchName: spec.vswitch ?? 'vSwitch0',
    policy: {},
  };
  await client.call('AddPortGroup', { _this: await networkSystem(client), portgrp });
}

/** One adapter as an `edit` device spec whose backing is the portgroup (fields in schema order). */
function editSpec(device: Record<string, unknown>, portgroup: string, network: MoRef | undefined) {
  const info = asRecord(device.deviceInfo);
  const conn = device.connectable ? asRecord(device.connectable) : null;
  const unit = asNumber(device.unitNumber);
  const controller = asNumber(device.controllerKey);
  const wol = asBool(device.wakeOnLanEnabled);
  return {
    operation: 'edit',
    device: {
      attributes: vim(asString(device._type)),
      key: asNumber(device.key) ?? 0,
      deviceInfo: { label: asString(info.label), summary: portgroup },
      backing: {
        attributes: vim('VirtualEthernetCardNetworkBackingInfo'),
        deviceName: portgroup,
        useAutoDetect: false,
        ...(network ? { network } : {}),
      },
      ...(conn
        ? {
            connectable: {
              startConnected: asBool(conn.startConnected) ?? true,
              allowGuestControl: asBool(conn.allowGuestControl) ?? true,
              connected: asBool(conn.connected) ?? false,
            },
          }
        : {}),
      ...(controller !== null ? { controllerKey: controller } : {}),
      ...(unit !== null ? { unitNumber: unit } : {}),
      ...(device.addressType ? { addressType: asString(device.addressType) } : {}),
      ...(device.macAddress ? { macAddress: asString(device.macAddress) } : {}),
      ...(wol !== null ? { wakeOnLanEnabled: wol } : {}),
    },
  };
}

/**
 * Connects every network adapter (VirtualEthernetCard) of a VM to one portgroup, in one ReconfigVM_Task whose
 * device changes are `edit`s keeping each adapter's key, MAC address and connection settings. Call it while the
 * VM is powered off, before it can reach any other network.
 * @param portgroup a portgroup of the VM's host (see {@link listPortgroups}).
 * @returns how many adapters were changed (0 when the VM has none; no task is run then).
 * @throws VSphereError (faultType `NotFound`) when the portgroup does not exist on the host; task faults
 *   (`InvalidDeviceSpec`, `InvalidPowerState`...).
 * Reference: vSphere API "VirtualMachine.ReconfigVM_Task", "VirtualDeviceConfigSpec",
 *   "VirtualEthernetCardNetworkBackingInfo".
 */
export async function connectNicsToPortgroup(
  client: VSphereClient,
  vm: MoRef,
  portgroup: string,
  wait: WaitForTaskOptions = {},
): Promise<number> {
  const network = (await networks(client)).find((n) => n.name === portgroup);
  if (!network && !(await listPortgroups(client)).includes(portgroup)) {
    throw new VSphereError('Fault', msg('vsphere.portgroup_missing', { portgroup }), {
      faultType: 'NotFound',
    });
  }
  const props = await retrieveOne(client, vm, ['config.hardware.device']);
  const nics = asArray<Record<string, unknown>>(props['config.hardware.device']).filter((d) =>
    NIC_TYPES.has(asString(asRecord(d)._type)),
  );
  if (nics.length === 0) return 0;
  const deviceChange = nics.map((d) => editSpec(asRecord(d), portgroup, network?.ref));
  await runTask(client, 'ReconfigVM_Task', { _this: vm, spec: { deviceChange } }, wait);
  return nics.length;
}

/**
 * The portgroup each network adapter of a VM is backed by, in device order (for checks and logs).
 * @returns e.g. `[{ label: 'Network adapter 1', network: 'VM Network Isolated' }]`.
 */
export async function vmNicNetworks(
  client: VSphereClient,
  vm: MoRef,
): Promise<Array<{ label: string; network: string }>> {
  const props = await retrieveOne(client, vm, ['config.hardware.device']);
  return asArray<Record<string, unknown>>(props['config.hardware.device'])
    .map(asRecord)
    .filter((d) => NIC_TYPES.has(asString(d._type)))
    .map((d) => ({
      label: asString(asRecord(d.deviceInfo).label),
      network: asString(asRecord(d.backing).deviceName),
    }));
}
