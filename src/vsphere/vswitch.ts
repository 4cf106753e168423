/**
 * @module vsphere/vswitch — the host's standard virtual switches (HostNetworkSystem.networkInfo.vswitch) with
 * their physical uplinks and portgroups; adding a switch (with or without uplinks), removing one, removing a
 * portgroup. The virtual lab network (src/lab-network) builds an isolated switch and portgroup with these.
 * @see vSphere API "HostNetworkSystem" (AddVirtualSwitch, RemoveVirtualSwitch, RemovePortGroup),
 *   "HostNetworkInfo", "HostVirtualSwitch", "HostVirtualSwitchSpec", "HostPortGroup".
 */
import type { VSphereClient } from './client.js';
import { networkSystem } from './network.js';
import { asArray, asNumber, asRecord, asString } from './normalize.js';
import { retrieveOne } from './property-collector.js';

/** A standard virtual switch as the host reports it. */
export interface VirtualSwitchInfo {
  name: string;
  /** HostVirtualSwitch.key, e.g. `key-vim.host.VirtualSwitch-vSwitch0`. */
  key: string;
  numPorts: number | null;
  mtu: number | null;
  /**
   * Its physical uplinks: the devices of HostVirtualSwitch.pnic (PhysicalNic keys resolved through
   * networkInfo.pnic) and of spec.bridge (HostVirtualSwitchBondBridge.nicDevice), e.g. `['vmnic0']`.
   */
  uplinks: string[];
  /** Whether spec.bridge is set at all (a bridge of any kind reaches the physical network). */
  bridged: boolean;
  /** Names of the portgroups on it (sorted). */
  portgroups: string[];
}

/** A standard portgroup (HostPortGroup.spec) and the switch it is on. */
export interface PortgroupInfo {
  name: string;
  key: string;
  vswitch: string;
  vlanId: number;
}

/** The host's switches and portgroups, read once from HostNetworkSystem.networkInfo. */
export interface HostNetwork {
  vswitches: VirtualSwitchInfo[];
  portgroups: PortgroupInfo[];
}

/**
 * Reads the standard switches and portgroups of the host (one property read of `networkInfo`). Portgroup
 * names come from networkInfo.portgroup (spec.vswitchName), so a switch's list is right whether the host gives
 * keys (as ESXi does) or names in HostVirtualSwitch.portgroup.
 * @throws VSphereError when the host cannot be read.
 */
export async function readHostNetwork(client: VSphereClient): Promise<HostNetwork> {
  const info = asRecord(
    (await retrieveOne(client, await networkSystem(client), ['networkInfo'])).networkInfo,
  );
  const deviceOfPnic = new Map(
    asArray(info.pnic).map((p) => [asString(asRecord(p).key), asString(asRecord(p).device)]),
  );
  const portgroups: PortgroupInfo[] = asArray(info.portgroup).map((raw) => {
    const pg = asRecord(raw);
    const spec = asRecord(pg.spec);
    return {
      name: asString(spec.name),
      key: asString(pg.key),
      vswitch: asString(spec.vswitchName),
      vlanId: asNumber(spec.vlanId) ?? 0,
    };
  });
  const nameOfKey = new Map(portgroups.map((p) => [p.key, p.name]));
  const vswitches = asArray(info.vswitch).map((raw): VirtualSwitchInfo => {
    const v = asRecord(raw);
    const name = asString(v.name);
    const spec = asRecord(v.spec);
    const bridge = spec.bridge ? asRecord(spec.bridge) : null;
    const uplinks = new Set<string>();
    for (const key of asArray(v.pnic)) uplinks.add(deviceOfPnic.get(asString(key)) || asString(key));
    for (const device of asArray(bridge?.nicDevice)) uplinks.add(asString(device));
    const names = new Set(portgroups.filter((p) => p.vswitch === name).map((p) => p.name));
    for (const entry of asArray(v.portgroup)) names.add(nameOfKey.get(asString(entry)) ?? asString(entry));
    return {
      name,
      key: asString(v.key),
      numPorts: asNumber(v.numPorts),
      mtu: asNumber(v.mtu),
      uplinks: [...uplinks].filter(Boolean).sort(),
      bridged: bridge !== null,
      portgroups: [...names].filter(Boolean).sort((a, b) => a.localeCompare(b)),
    };
  });
  return { vswitches, portgroups };
}

/**
 * Lists the host's standard virtual switches with their uplinks and portgroups.
 * @returns e.g. `[{ name: 'vSwitch0', uplinks: ['vmnic0'], portgroups: ['Management Network', 'VM Network'] }]`.
 * @throws VSphereError when the host cannot be read.
 */
export async function listVirtualSwitches(client: VSphereClient): Promise<VirtualSwitchInfo[]> {
  return (await readHostNetwork(client)).vswitches;
}

/**
 * Adds a standard virtual switch (HostNetworkSystem.AddVirtualSwitch). Without `uplinks` the spec has no
 * bridge: the switch reaches no physical network (an isolated, "internal" switch); its policy is the host's
 * default one.
 * @param spec.name at most 32 characters, unique on the host; spec.numPorts default 128 (ESXi 5.5+ switches
 *   are elastic); spec.uplinks physical NIC devices to bond (`vmnic1`), none by default.
 * @throws VSphereError (faultType) `AlreadyExists` for a taken name, `ResourceInUse` for an uplink another
 *   switch holds, `InvalidArgument` for a name too long or a bad port count, `HostConfigFault`.
 */
export async function addVirtualSwitch(
  client: VSphereClient,
  spec: { name: string; numPorts?: number; uplinks?: string[] },
): Promise<void> {
  const bridge = spec.uplinks?.length
    ? {
        bridge: {
          attributes: { xsi_type: { type: 'HostVirtualSwitchBondBridge', xmlns: 'urn:vim25' } },
          nicDevice: spec.uplinks,
        },
      }
    : {};
  await client.call('AddVirtualSwitch', {
    _this: await networkSystem(client),
    vswitchName: spec.name,
    spec: { numPorts: spec.numPorts ?? 128, ...bridge },
  });
}

/**
 * Removes a standard virtual switch (HostNetworkSystem.RemoveVirtualSwitch).
 * @throws VSphereError (faultType) `NotFound` for an unknown switch, `ResourceInUse` while virtual adapters
 *   are on it, `HostConfigFault`.
 */
export async function removeVirtualSwitch(client: VSphereClient, name: string): Promise<void> {
  await client.call('RemoveVirtualSwitch', { _this: await networkSystem(client), vswitchName: name });
}

/**
 * Removes a standard portgroup (HostNetworkSystem.RemovePortGroup).
 * @throws VSphereError (faultType) `NotFound` for an unknown portgroup, `ResourceInUse` while virtual adapters
 *   are connected to it, `HostConfigFault`.
 */
export async function removePortgroup(client: VSphereClient, name: string): Promise<void> {
  await client.call('RemovePortGroup', { _this: await networkSystem(client), pgName: name });
}
