/**
 * @module vsphere/network — the host's standard portgroups (list, add) and moving a VM's network adapters onto
 * one portgroup (ReconfigVM_Task, device `edit`), e.g. an isolated test network before a copy is powered on, or
 * each back onto its own portgroup after the test. Used by SureBackup (src/surebackup), the replication's
 * failovers and the virtual lab network (src/lab-network).
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

/** The Network object of each portgroup named. @throws VSphereError (faultType `NotFound`) for a missing one. */
async function portgroupRefs(
  client: VSphereClient,
  portgroups: Iterable<string>,
): Promise<Map<string, MoRef | undefined>> {
  const known = await networks(client);
  const refs = new Map<string, MoRef | undefined>();
  let listed: string[] | null = null;
  for (const portgroup of new Set(portgroups)) {
    const network = known.find((n) => n.name === portgroup);
    listed ??= network ? null : await listPortgroups(client);
    if (!network && !listed?.includes(portgroup)) {
      throw new VSphereError('Fault', msg('vsphere.portgroup_missing', { portgroup }), {
        faultType: 'NotFound',
      });
    }
    refs.set(portgroup, network?.ref);
  }
  return refs;
}

/** Edits the VM's adapters that `target` gives a portgroup to, in one ReconfigVM_Task. @returns how many. */
async function reconnectNics(
  client: VSphereClient,
  vm: MoRef,
  target: (key: number) => string | undefined,
  refs: Map<string, MoRef | undefined>,
  wait: WaitForTaskOptions,
): Promise<number> {
  const props = await retrieveOne(client, vm, ['config.hardware.device']);
  const deviceChange = asArray<Record<string, unknown>>(props['config.hardware.device'])
    .map(asRecord)
    .filter((d) => NIC_TYPES.has(asString(d._type)))
    .flatMap((d) => {
      const portgroup = target(asNumber(d.key) ?? 0);
      return portgroup === undefined ? [] : [editSpec(d, portgroup, refs.get(portgroup))];
    });
  if (deviceChange.length === 0) return 0;
  await runTask(client, 'ReconfigVM_Task', { _this: vm, spec: { deviceChange } }, wait);
  return deviceChange.length;
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
  const refs = await portgroupRefs(client, [portgroup]);
  return reconnectNics(client, vm, () => portgroup, refs, wait);
}

/**
 * Connects some network adapters of a VM each to its own portgroup (e.g. back to where they were before a
 * test), in one ReconfigVM_Task of `edit`s keeping each adapter's key, MAC address and connection settings.
 * Adapters not named are left as they are. A running VM's adapters may be moved too (the guest sees its link
 * change network).
 * @param targets device key (VirtualDevice.key) -> portgroup of the VM's host, e.g. `new Map([[4000, 'VM Network']])`.
 * @returns how many adapters were changed (keys the VM does not have are skipped; no task when none is left).
 * @throws VSphereError (faultType `NotFound`) when a portgroup does not exist on the host (nothing is changed);
 *   task faults.
 * Reference: vSphere API "VirtualMachine.ReconfigVM_Task", "VirtualDeviceConfigSpec".
 */
export async function connectNicsToPortgroups(
  client: VSphereClient,
  vm: MoRef,
  targets: ReadonlyMap<number, string>,
  wait: WaitForTaskOptions = {},
): Promise<number> {
  if (targets.size === 0) return 0;
  const refs = await portgroupRefs(client, targets.values());
  return reconnectNics(client, vm, (key) => targets.get(key), refs, wait);
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
