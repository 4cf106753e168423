/** @module test/replication/support: helpers for the replication tests: run states, simulator files and VMs. */
import { createHash } from 'node:crypto';
import {
  fetchInventory,
  type InventoryVm,
  openDatastoreRead,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import type { apiClient, Json } from '../support/api-client.js';
import type { Simulator } from '../support/simulator.js';

/** The SHA-256 (hex) of a datastore file of a simulator, read over datastore HTTP. */
export async function datastoreSha(client: VSphereClient, sim: Simulator, path: string): Promise<string> {
  const { stream } = await openDatastoreRead(client, {
    datacenter: sim.datacenter,
    datastore: sim.datastores[0]?.name as string,
    path,
  });
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A VM of a host by name, from a fresh inventory read. */
export async function vmNamed(client: VSphereClient, name: string): Promise<InventoryVm | undefined> {
  return (await fetchInventory(client)).vms.find((v) => v.name === name);
}

/** `GET /api/virtual-machines/` id of a VM of one server. */
export async function vmId(
  api: ReturnType<typeof apiClient>,
  serverId: number,
  name: string,
): Promise<number> {
  const list = (await api.call('GET', `/api/virtual-machines/?esxi_server=${serverId}&search=${name}`)).body;
  const vm = list.find((v) => v.name === name);
  if (!vm) throw new Error(`no VM ${name} on server ${serverId}`);
  return vm.id as number;
}

/** Statuses at which a run or a failover event has ended. */
export const runEnded = (s: Json) => ['completed', 'error', 'cancelled'].includes(s.status as string);
export const eventEnded = (s: Json) => ['completed', 'failed', 'rolled_back'].includes(s.status as string);
