/**
 * @module lab-network/host: what a lab network is on the host: an isolated standard vSwitch (no physical
 * uplink) named in the ledger row and its portgroup. Making it is idempotent; removing it touches only that
 * switch and a portgroup found ON it (a portgroup of the same name on another switch is someone else's, a
 * switch holding other portgroups is left). Also which powered-on VMs still use a portgroup.
 * @see vSphere API "HostNetworkSystem.AddVirtualSwitch", "AddPortGroup", "RemovePortGroup",
 *   "RemoveVirtualSwitch" (src/vsphere/vswitch.ts), "VirtualEthernetCardNetworkBackingInfo".
 */
import type { LabNetworkRow } from '../db/lab-networks.js';
import { ConflictError } from '../errors.js';
import { type Message, msg } from '../i18n/message.js';
import {
  addPortgroup,
  addVirtualSwitch,
  asArray,
  asString,
  readHostNetwork,
  removePortgroup,
  removeVirtualSwitch,
  retrieveAll,
  toVSphereError,
  type VSphereClient,
} from '../vsphere/index.js';
import { asRecord } from '../vsphere/normalize.js';

/** Prefix of the switches the app creates (`ebm-lab-<6 hex>`). */
export const VSWITCH_PREFIX = 'ebm-lab-';

const faultIs = (err: unknown, ...types: string[]) => types.includes(toVSphereError(err).faultType ?? '');

async function unlessFault(call: Promise<void>, ...types: string[]): Promise<void> {
  await call.catch((err: unknown) => {
    if (!faultIs(err, ...types)) throw toVSphereError(err);
  });
}

/**
 * Makes sure the row's switch and portgroup exist, creating what is missing (the row is written first).
 * @param fresh the row was just recorded: a switch of its name found on the host is not ours.
 * @throws ConflictError `lab_vswitch_taken` (fresh row, name taken) or `lab_portgroup_appeared` (the
 *   portgroup name exists on another switch); VSphereError from the host.
 */
export async function ensureOnHost(
  client: VSphereClient,
  row: LabNetworkRow,
  server: string,
  fresh: boolean,
): Promise<void> {
  const { vswitch_name: vswitch, portgroup_name: portgroup } = row;
  const before = await readHostNetwork(client);
  const hasSwitch = before.vswitches.some((v) => v.name === vswitch);
  if (hasSwitch && fresh)
    throw new ConflictError('lab_vswitch_taken', msg('lab.error.vswitch_taken', { vswitch, server }));
  if (!hasSwitch)
    await unlessFault(addVirtualSwitch(client, { name: vswitch }), ...(fresh ? [] : ['AlreadyExists']));
  const appeared = () =>
    new ConflictError('lab_portgroup_appeared', msg('lab.error.portgroup_appeared', { portgroup, server }));
  const found = before.portgroups.find((p) => p.name === portgroup);
  if (found && found.vswitch !== vswitch) throw appeared();
  if (found) return;
  try {
    await addPortgroup(client, { name: portgroup, vswitch });
  } catch (err) {
    if (!faultIs(err, 'AlreadyExists', 'DuplicateName')) throw toVSphereError(err);
    const now = (await readHostNetwork(client)).portgroups.find((p) => p.name === portgroup);
    if (now?.vswitch !== vswitch) throw appeared();
  }
}

/**
 * Removes the row's portgroup (when it is on the row's switch) and then the switch (when it holds nothing
 * else). What is already gone counts as removed.
 * @returns notes for the log about what was left in place, and for the owner.
 * @throws VSphereError (e.g. faultType `ResourceInUse` while a powered-on VM is connected).
 */
export async function removeFromHost(client: VSphereClient, row: LabNetworkRow): Promise<Message[]> {
  const { vswitch_name: vswitch, portgroup_name: portgroup } = row;
  const net = await readHostNetwork(client);
  const notes: Message[] = [];
  const pg = net.portgroups.find((p) => p.name === portgroup);
  if (pg && pg.vswitch === vswitch) await unlessFault(removePortgroup(client, portgroup), 'NotFound');
  else if (pg) notes.push(msg('lab.log.portgroup_foreign', { portgroup, vswitch: pg.vswitch }));
  const sw = net.vswitches.find((v) => v.name === vswitch);
  const others = sw?.portgroups.filter((n) => n !== portgroup) ?? [];
  if (sw && others.length) notes.push(msg('lab.log.switch_kept', { vswitch, portgroups: others.join(', ') }));
  else if (sw) await unlessFault(removeVirtualSwitch(client, vswitch), 'NotFound');
  return notes;
}

/**
 * Names of the VMs that use a portgroup: powered on (or suspended) with an adapter backed by it.
 * @throws VSphereError when the host cannot be read.
 */
export async function vmsUsingPortgroup(client: VSphereClient, portgroup: string): Promise<Set<string>> {
  const vms = await retrieveAll(client, 'VirtualMachine', [
    'name',
    'runtime.powerState',
    'config.hardware.device',
  ]);
  const using = new Set<string>();
  for (const vm of vms) {
    if (asString(vm.props['runtime.powerState']) === 'poweredOff') continue;
    const onIt = asArray(vm.props['config.hardware.device']).some((d) => {
      const backing = asRecord(asRecord(d).backing);
      return (
        asString(backing._type) === 'VirtualEthernetCardNetworkBackingInfo' &&
        asString(backing.deviceName) === portgroup
      );
    });
    if (onIt) using.add(asString(vm.props.name));
  }
  return using;
}
