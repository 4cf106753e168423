/**
 * The launcher's snapshots and changed block tracking, driven through the app's own SOAP client
 * (src/vsphere/): what the vSphere API reference says a host does (test/simulator/ README section).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asBool,
  asString,
  createSnapshot,
  fetchInventory,
  type MoRef,
  powerOff,
  powerOn,
  queryChangedDiskAreas,
  queryDiskChangePart,
  readSnapshotDisks,
  removeAllSnapshots,
  removeSnapshot,
  retrieveOne,
  setChangeTracking,
  VSphereClient,
  VSphereError,
  vmRef,
} from '../../src/vsphere/index.js';
import { asRecord } from '../../src/vsphere/normalize.js';
import { readVmLayout } from '../../src/vsphere/vm-files.js';
import { guestRead, guestWrite } from '../support/guest-disk.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

const MiB = 1024 * 1024;
const SIZE = 64 * MiB;

describe('snapshots with delta disks and changed block tracking in the simulator', () => {
  let sim: Simulator;
  let client: VSphereClient;
  let vm: MoRef;
  let key: number;
  let dir: string;
  const disk = Buffer.alloc(SIZE);

  /** The VM's current disk backing (head link), as the host reports it. */
  const currentBacking = async () => {
    const props = await retrieveOne(client, vm, ['config.hardware.device']);
    const device = (props['config.hardware.device'] as Array<Record<string, unknown>>).find(
      (d) => d._type === 'VirtualDisk',
    );
    return asRecord(device?.backing);
  };
  const flat = () => readFileSync(path.join(dir, 'disk1-flat.vmdk'));
  const snapshotDisk = async (snap: MoRef) => {
    const [d] = await readSnapshotDisks(client, snap);
    if (!d) throw new Error('snapshot without disk');
    return d;
  };
  const changed = (snap: MoRef, changeId: string) =>
    queryChangedDiskAreas(client, { vm, snapshot: snap, deviceKey: key, changeId, capacityBytes: SIZE });
  const faultOf = (p: Promise<unknown>) =>
    p.then(
      () => 'no fault',
      (e: unknown) => (e instanceof VSphereError ? e.faultType : String(e)),
    );

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 1, diskMib: 64 });
    client = await VSphereClient.connect({ ...sim, thumbprint: null });
    const inventory = await fetchInventory(client);
    vm = vmRef(inventory.vms[0]?.moref ?? '');
    dir = path.join(sim.datastores[0]?.path ?? '', 'ha-host_VM0');
    randomBytes(8 * MiB).copy(disk, 0);
    randomBytes(MiB).copy(disk, 60 * MiB);
    writeFileSync(path.join(dir, 'disk1-flat.vmdk'), disk);
    const props = await retrieveOne(client, vm, ['config.hardware.device']);
    const device = (props['config.hardware.device'] as Array<Record<string, unknown>>).find(
      (d) => d._type === 'VirtualDisk',
    );
    key = Number(device?.key);
  });
  afterAll(async () => {
    await client?.logout();
    await sim?.stop();
  });

  let s1: MoRef;
  let s2: MoRef;
  let id1 = '';

  it('turns tracking on at the next snapshot, which freezes the base disk and moves the VM onto a delta', async () => {
    await setChangeTracking(client, vm, true);
    const props = await retrieveOne(client, vm, ['config.changeTrackingEnabled']);
    expect(asBool(props['config.changeTrackingEnabled'])).toBe(true);
    expect(asString((await currentBacking()).changeId)).toBe(''); // powered on: not before a stun/unstun

    s1 = await createSnapshot(client, vm, { name: 'one' });
    const frozen = await snapshotDisk(s1);
    expect(frozen).toMatchObject({
      key,
      fileName: '[LocalDS_0] ha-host_VM0/disk1.vmdk',
      capacityBytes: SIZE,
    });
    expect(frozen.uuid).toMatch(/^6000C29/);
    expect(frozen.changeId).toMatch(/^52( [0-9a-f]{2}){7}-[0-9a-f]{2}( [0-9a-f]{2}){7}\/\d+$/);
    id1 = frozen.changeId ?? '';

    const head = await currentBacking();
    expect(head.fileName).toBe('[LocalDS_0] ha-host_VM0/disk1-000001.vmdk');
    expect(asRecord(head.parent).fileName).toBe('[LocalDS_0] ha-host_VM0/disk1.vmdk');
    expect(existsSync(path.join(dir, 'disk1-000001-delta.vmdk'))).toBe(true);

    const layout = await readVmLayout(client, vm);
    const name = (k: number) => layout.files.find((f) => f.key === k)?.name;
    expect(layout.snapshotDisks.get(s1.value)?.[0]?.chain.map((u) => u.map(name))).toEqual([
      ['[LocalDS_0] ha-host_VM0/disk1.vmdk', '[LocalDS_0] ha-host_VM0/disk1-flat.vmdk'],
    ]);
    expect(layout.disks[0]?.chain).toHaveLength(2);
  });

  it('answers "*" with the areas in use, one part of the disk per call', async () => {
    const part = await queryDiskChangePart(client, { vm, snapshot: s1, deviceKey: key, changeId: '*' }, 0);
    expect(part.startOffset).toBe(0);
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThan(SIZE);
    expect(await changed(s1, '*')).toEqual([
      { start: 0, length: 8 * MiB },
      { start: 60 * MiB, length: MiB },
    ]);
  });

  it('keeps guest writes in the delta and reports them, grain-aligned, up to the snapshot only', async () => {
    const write = randomBytes(MiB);
    await guestWrite(sim, vm.value, key, 20 * MiB + 100, write);
    expect(flat().equals(disk)).toBe(true); // the base is frozen
    expect((await guestRead(sim, vm.value, key, 20 * MiB + 100, MiB)).equals(write)).toBe(true);
    write.copy(disk, 20 * MiB + 100);

    s2 = await createSnapshot(client, vm, { name: 'two' });
    const expected = [{ start: 20 * MiB, length: MiB + 64 * 1024 }];
    expect(await changed(s2, id1)).toEqual(expected);
    const later = randomBytes(MiB);
    await guestWrite(sim, vm.value, key, 40 * MiB, later);
    later.copy(disk, 40 * MiB);
    expect(await changed(s2, id1)).toEqual(expected);
    expect(await changed(s2, (await snapshotDisk(s2)).changeId ?? '')).toEqual([]);
  });

  it('refuses a bad change id, an unknown disk, an offset past the end, with the reference faults', async () => {
    const query = { vm, snapshot: s2, deviceKey: key, changeId: id1 };
    expect(await faultOf(queryDiskChangePart(client, { ...query, changeId: 'not-a-change-id' }, 0))).toBe(
      'InvalidArgument',
    );
    expect(await faultOf(queryDiskChangePart(client, { ...query, changeId: '52 00/1' }, 0))).toBe(
      'InvalidArgument',
    );
    expect(await faultOf(queryDiskChangePart(client, { ...query, deviceKey: 1 }, 0))).toBe('InvalidArgument');
    expect(await faultOf(queryDiskChangePart(client, query, SIZE))).toBe('InvalidArgument');
  });

  it('consolidates on removal, oldest snapshot first: the disk files stay, the VM ends on its base disk', async () => {
    await removeSnapshot(client, s1);
    const base = flat();
    expect(base.subarray(20 * MiB, 21 * MiB + 100).equals(disk.subarray(20 * MiB, 21 * MiB + 100))).toBe(
      true,
    );
    expect(existsSync(path.join(dir, 'disk1-000001.vmdk'))).toBe(false);
    expect((await snapshotDisk(s2)).fileName).toBe('[LocalDS_0] ha-host_VM0/disk1.vmdk');
    expect(await changed(s2, id1)).toEqual([{ start: 20 * MiB, length: MiB + 64 * 1024 }]);
    expect(await faultOf(changed(s1, id1))).toBe('NotFound');

    await removeSnapshot(client, s2);
    const head = await currentBacking();
    expect(head.fileName).toBe('[LocalDS_0] ha-host_VM0/disk1.vmdk');
    expect(head.parent ?? null).toBeNull();
    expect(flat().equals(disk)).toBe(true);
    expect(readdirSync(dir).filter((f) => /-\d{6}/.test(f) || f.endsWith('.vmsn'))).toEqual([]);
  });

  it('never deletes a disk file over repeated snapshot removals', async () => {
    for (let i = 0; i < 3; i++) {
      const a = await createSnapshot(client, vm, { name: `a${i}` });
      const b = await createSnapshot(client, vm, { name: `b${i}` });
      await removeSnapshot(client, b);
      await removeSnapshot(client, a);
    }
    expect(flat().equals(disk)).toBe(true);
    expect(existsSync(path.join(dir, 'disk1.vmdk'))).toBe(true);
  });

  it('consolidates every snapshot with RemoveAllSnapshots_Task, and starts tracking at power on', async () => {
    const one = await createSnapshot(client, vm, { name: 'all-1' });
    await guestWrite(sim, vm.value, key, 44 * MiB, Buffer.alloc(4096, 7));
    Buffer.alloc(4096, 7).copy(disk, 44 * MiB);
    await createSnapshot(client, vm, { name: 'all-2' });
    await guestWrite(sim, vm.value, key, 45 * MiB, Buffer.alloc(4096, 8));
    Buffer.alloc(4096, 8).copy(disk, 45 * MiB);
    await removeAllSnapshots(client, vm);
    expect((await currentBacking()).fileName).toBe('[LocalDS_0] ha-host_VM0/disk1.vmdk');
    expect(flat().equals(disk)).toBe(true);
    expect(await faultOf(readSnapshotDisks(client, one))).toBe('ManagedObjectNotFound');

    await powerOff(client, vm);
    await setChangeTracking(client, vm, false);
    await powerOn(client, vm);
    expect(asString((await currentBacking()).changeId)).toBe('');
    await powerOff(client, vm);
    await setChangeTracking(client, vm, true);
    await powerOn(client, vm);
    expect(asString((await currentBacking()).changeId)).toMatch(/^52 .+\/0$/);
  });

  it('restarts tracking under a new id when turned off and on: earlier change ids are refused', async () => {
    await setChangeTracking(client, vm, false);
    const off = await createSnapshot(client, vm, { name: 'off' });
    expect((await snapshotDisk(off)).changeId).toBeNull();
    expect(await faultOf(changed(off, '*'))).toBe('InvalidArgument');
    await removeSnapshot(client, off);
    await setChangeTracking(client, vm, true);
    const on = await createSnapshot(client, vm, { name: 'on' });
    const id = (await snapshotDisk(on)).changeId ?? '';
    expect(id.split('/')[0]).not.toBe(id1.split('/')[0]);
    expect(await faultOf(changed(on, id1))).toBe('InvalidArgument');
    expect(await changed(on, id)).toEqual([]);
    await removeSnapshot(client, on);
  });
});
