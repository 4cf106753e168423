/** @module test/lab-network/support: what the tests read of a host's lab networks and of the ledger. */
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { lab_network_users, lab_networks } from '../../src/db/schema.js';
import { readHostNetwork, retrieveAll, type VSphereClient, vmNicNetworks } from '../../src/vsphere/index.js';

export const ISOLATED = 'VM Network Isolated';

/** The switches the app made on a host (`ebm-lab-…`). */
export async function labSwitches(client: VSphereClient) {
  return (await readHostNetwork(client)).vswitches.filter((v) => v.name.startsWith('ebm-lab-'));
}

/** The switch a portgroup is on, with its uplinks, or undefined when the host has no such portgroup. */
export async function switchOf(client: VSphereClient, portgroup: string) {
  const net = await readHostNetwork(client);
  const pg = net.portgroups.find((p) => p.name === portgroup);
  return pg && net.vswitches.find((v) => v.name === pg.vswitch);
}

/** The networks of a VM's adapters and its power state, or null when the host has no VM of that name. */
export async function vmState(client: VSphereClient, name: string) {
  const vms = await retrieveAll(client, 'VirtualMachine', ['name', 'runtime.powerState']);
  const vm = vms.find((v) => v.props.name === name);
  if (!vm) return null;
  const nics = await vmNicNetworks(client, vm.ref);
  return { ref: vm.ref, power: vm.props['runtime.powerState'], networks: nics.map((n) => n.network) };
}

/** Polls until the VM `name` is powered on. @returns its state. */
export async function whenPoweredOn(client: VSphereClient, name: string, timeout = 30_000) {
  let state: Awaited<ReturnType<typeof vmState>> = null;
  await expect
    .poll(
      async () => {
        state = await vmState(client, name);
        return state?.power;
      },
      { timeout, interval: 50 },
    )
    .toBe('poweredOn');
  return state as unknown as NonNullable<Awaited<ReturnType<typeof vmState>>>;
}

/** The ledger: networks with their users. */
export async function ledger(db: Db) {
  const networks = await db.select().from(lab_networks).orderBy(lab_networks.id);
  const users = await db.select().from(lab_network_users).orderBy(lab_network_users.id);
  return networks.map((n) => ({ ...n, users: users.filter((u) => u.lab_network_id === n.id) }));
}
