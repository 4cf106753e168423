/**
 * The launcher's RevertToSnapshot_Task as the vSphere API reference describes it (test/simulator/
 * snapshot_revert.go): the guest's writes made since the snapshot are gone, the VM runs on a new delta over the
 * snapshot's frozen link (so removing the snapshot afterwards keeps what was written after the revert), and a
 * running VM reverted to a snapshot taken without memory is powered off; one taken with memory keeps it on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asString,
  createSnapshot,
  fetchInventory,
  type MoRef,
  powerOn,
  readSnapshotTree,
  removeSnapshot,
  retrieveOne,
  revertToSnapshot,
  VSphereClient,
  vmRef,
} from '../../src/vsphere/index.js';
import { guestRead, guestWrite } from '../support/guest-disk.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('the simulator reverts to a snapshot as ESXi does', () => {
  let sim: Simulator;
  let client: VSphereClient;
  let vm: MoRef;
  let key = 0;

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 1, diskMib: 4 });
    client = await VSphereClient.connect({ ...sim, thumbprint: null });
    const inventory = await fetchInventory(client);
    vm = vmRef(inventory.vms[0]?.moref ?? '');
    key = inventory.vms[0]?.disks[0]?.key ?? 0;
  });
  afterAll(async () => {
    await client?.logout();
    await sim?.stop();
  });

  const power = async () =>
    asString((await retrieveOne(client, vm, ['runtime.powerState']))['runtime.powerState']);
  const read = async () => guestRead(sim, vm.value, key, 0, 4);

  it('discards the writes made since, and takes the snapshot’s power state', async () => {
    await guestWrite(sim, vm.value, key, 0, Buffer.from('AAAA'));
    const plain = await createSnapshot(client, vm, { name: 'plain' });
    await guestWrite(sim, vm.value, key, 0, Buffer.from('BBBB'));
    const withMemory = await createSnapshot(client, vm, { name: 'with memory', memory: true });
    await guestWrite(sim, vm.value, key, 0, Buffer.from('CCCC'));
    expect((await readSnapshotTree(client, vm)).snapshots.map((s) => s.state)).toEqual([
      'poweredOff',
      'poweredOn',
    ]);

    await revertToSnapshot(client, withMemory);
    expect((await read()).toString()).toBe('BBBB');
    expect(await power()).toBe('poweredOn');

    await revertToSnapshot(client, plain);
    expect((await read()).toString()).toBe('AAAA');
    expect(await power()).toBe('poweredOff');
    expect((await readSnapshotTree(client, vm)).current).toBe(plain.value);

    await powerOn(client, vm);
    await guestWrite(sim, vm.value, key, 0, Buffer.from('DDDD'));
    await removeSnapshot(client, withMemory);
    await removeSnapshot(client, plain);
    expect((await read()).toString()).toBe('DDDD');
    expect((await readSnapshotTree(client, vm)).snapshots).toEqual([]);
  });
});
