/**
 * Incremental backups with changed block tracking against the simulator (test/simulator: deltas, CBT, guest
 * writes): what is read, what each restore point restores, and every fallback to a full read with its reason.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreJob, vmBackupJob } from '../../src/backup/index.js';
import { createBackupJob, createRestoreJob, getBackup } from '../../src/db/backups.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { getJob } from '../../src/db/jobs.js';
import { translator } from '../../src/i18n/translate.js';
import type { ProgressUpdate } from '../../src/jobs/types.js';
import { createMetrics } from '../../src/metrics/registry.js';
import type { Index } from '../../src/repository/format.js';
import {
  createSnapshot,
  type MoRef,
  removeSnapshot,
  retrieveOne,
  setChangeTracking,
  type VSphereClient,
  vmRef,
} from '../../src/vsphere/index.js';
import { extendDisk } from '../support/extend-disk.js';
import { guestWrite } from '../support/guest-disk.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import {
  addServer,
  addStoragePath,
  chunkFileOf,
  connect,
  flipByte,
  putFile,
  removeStorageDirs,
  runJob,
} from './support.js';

const MiB = 1024 * 1024;
const CHUNK = 4 * MiB;
const VMX =
  '.encoding = "UTF-8"\ndisplayName = "ha-host_VM0"\nnvram = "ha-host_VM0.nvram"\nscsi0:0.fileName = "disk1.vmdk"\n';
const DESCRIPTOR = '# Disk DescriptorFile\nversion=1\ncreateType="vmfs"\nRW 131072 VMFS "disk1-flat.vmdk"\n';
const NVRAM = randomBytes(8192);
/** Bytes of the files read whole at every backup besides the disk. */
const SMALL = VMX.length + DESCRIPTOR.length + NVRAM.length;

describe('incremental backups with changed block tracking', () => {
  let sim: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let vm: MoRef;
  let vmId = 0;
  let key = 0;
  let restores = 0;
  /** The disk as the guest sees it now. */
  let disk = Buffer.alloc(64 * MiB);
  const english = translator('en');
  const dir = () => path.join(sim.datastores[0]?.path ?? '', 'ha-host_VM0');

  beforeAll(async () => {
    sim = await startSimulator({ tls: true, vms: 1, diskMib: 64 });
    t = await createTestApp();
    client = await connect(sim);
    randomBytes(40 * MiB).copy(disk, 0);
    await putFile(client, sim, 'ha-host_VM0/disk1-flat.vmdk', disk);
    await putFile(client, sim, 'ha-host_VM0/disk1.vmdk', DESCRIPTOR);
    await putFile(client, sim, 'ha-host_VM0/ha-host_VM0.vmx', VMX);
    await putFile(client, sim, 'ha-host_VM0/ha-host_VM0.nvram', NVRAM);
    const serverId = await addServer(t.deps, sim, 'esx');
    await addStoragePath(t.deps);
    const row = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows[0]?.vm;
    vmId = row?.id ?? 0;
    vm = vmRef(row?.moref ?? '');
    const props = await retrieveOne(client, vm, ['config.hardware.device']);
    const device = (props['config.hardware.device'] as Array<Record<string, unknown>>).find(
      (d) => d._type === 'VirtualDisk',
    );
    key = Number(device?.key);
    await setChangeTracking(client, vm, true);
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  /** Backs the VM up. @returns the backup row and its index. */
  const backUp = async (onReport?: (u: ProgressUpdate) => void) => {
    const created = await createBackupJob(t.deps.db, { virtual_machine_id: vmId });
    const { job } = await runJob(vmBackupJob, t.deps, created.job_id, { onReport });
    expect(job.error).toBeNull();
    const row = await getBackup(t.deps.db, created.id);
    const index = JSON.parse(readFileSync(row?.index_path ?? '', 'utf8')) as Index;
    return { row, index };
  };
  /** Restores a backup to the same host under a new name. @returns the restored folder's path. */
  const restore = async (backupId: number) => {
    const name = `restored-${++restores}`;
    const created = await createRestoreJob(t.deps.db, {
      vm_backup_id: backupId,
      esxi_server_id: (await getBackup(t.deps.db, backupId))?.esxi_server_id ?? 0,
      datastore: 'LocalDS_0',
      vm_name: name,
    });
    const { job } = await runJob(restoreJob, t.deps, created.job_id);
    expect(job.error).toBeNull();
    return path.join(sim.datastores[0]?.path ?? '', name);
  };
  const restoredDisk = async (backupId: number) =>
    readFileSync(path.join(await restore(backupId), 'disk1-flat.vmdk'));
  const write = async (offset: number, length = MiB) => {
    const data = randomBytes(length);
    await guestWrite(sim, vm.value, key, offset, data);
    data.copy(disk, offset);
  };

  let first = 0;
  let second = 0;

  it('reads only the areas in use first, then only the changed chunks; each restore point restores its snapshot', async () => {
    const one = await backUp();
    first = one.row?.id ?? 0;
    expect(one.row).toMatchObject({ mode: 'full', cbt_fallback_reason: 'no_previous_restore_point' });
    expect(one.row?.changed_bytes).toBe(40 * MiB);
    expect(one.row?.bytes_read).toBe(40 * MiB + SMALL);
    const atFirst = Buffer.from(disk);

    await write(5 * MiB + 123);
    await write(30 * MiB);
    await write(50 * MiB);
    const atSecond = Buffer.from(disk);
    let during: Promise<void> | undefined;
    const two = await backUp((u) => {
      if (!during && u.step && english.message(u.step) === 'Copying disk1-flat.vmdk')
        during = write(10 * MiB);
    });
    await during;
    second = two.row?.id ?? 0;
    expect(during).toBeDefined();
    expect(two.row).toMatchObject({ mode: 'incremental', cbt_fallback_reason: null });
    expect(two.row?.changed_bytes).toBe(3 * MiB + 64 * 1024);
    // Only the changed areas are fetched, each laid over its chunk's earlier copy (zeros at 50 MiB).
    expect(two.row?.bytes_read).toBe(3 * MiB + 64 * 1024 + SMALL);
    expect(two.row?.bytes_read).toBeLessThanOrEqual(3 * CHUNK + SMALL);
    const flat = two.index.files.find((f) => f.name === 'disk1-flat.vmdk');
    expect(flat?.sha256).toBeNull();
    expect(flat?.chunks_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(two.index.vm.disks[0]).toMatchObject({
      key,
      file_name: '[LocalDS_0] ha-host_VM0/disk1.vmdk',
      extent: 'disk1-flat.vmdk',
      read: 'incremental',
      incrementals: 1,
    });
    expect(two.index.vm.disks[0]?.change_id).not.toBe(one.index.vm.disks[0]?.change_id);

    expect((await restoredDisk(second)).equals(atSecond)).toBe(true);
    expect((await restoredDisk(first)).equals(atFirst)).toBe(true);
  });

  it('shows each backup’s mode in the history, and counts the bytes read by mode', async () => {
    const { cookie } = await t.signIn('viewer');
    const headers = { Cookie: cookie, 'Accept-Language': 'en', 'HX-Request': 'true' };
    const html = await (await t.app.request('/backups/history', { headers })).text();
    expect(html).toContain('title="no previous restore point of this disk"');
    expect(html).toMatch(/data-testid="backup-mode"><span><span class="badge[^"]*"[^>]*>incremental</);
    const metrics = createMetrics(t.deps);
    for (const id of [first, second]) {
      const job = await getJob(t.deps.db, (await getBackup(t.deps.db, id))?.job_id ?? 0);
      if (job) metrics.jobFinished(job, 'COMPLETED');
    }
    await expect
      .poll(() => metrics.scrape())
      .toContain(`esxi_backup_bytes_read_total{mode="incremental"} ${3 * MiB + 64 * 1024 + SMALL}`);
    expect(await metrics.scrape()).toContain(`esxi_backup_bytes_read_total{mode="full"} ${40 * MiB + SMALL}`);
  });

  it('reads in full, saying why, after a change id is refused, a disk is extended or beside another snapshot', async () => {
    await setChangeTracking(client, vm, false);
    await removeSnapshot(client, await createSnapshot(client, vm, { name: 'stun' }));
    await setChangeTracking(client, vm, true);
    await write(20 * MiB);
    const refused = await backUp();
    expect(refused.row).toMatchObject({ mode: 'full', cbt_fallback_reason: 'change_id_refused' });
    expect(refused.row?.bytes_read).toBe(64 * MiB + SMALL);
    expect((await restoredDisk(refused.row?.id ?? 0)).equals(disk)).toBe(true);

    await extendDisk(client, vm, key, 72 * MiB);
    disk = Buffer.concat([disk, Buffer.alloc(8 * MiB)]);
    await write(70 * MiB);
    const extended = await backUp();
    expect(extended.row).toMatchObject({ mode: 'full', cbt_fallback_reason: 'disk_changed' });
    expect(extended.row?.bytes_read).toBe(72 * MiB + SMALL);
    expect((await restoredDisk(extended.row?.id ?? 0)).equals(disk)).toBe(true);

    const user = await createSnapshot(client, vm, { name: 'user' });
    const base = Buffer.from(disk);
    await write(60 * MiB);
    const beside = await backUp();
    expect(beside.row).toMatchObject({ mode: 'full', cbt_fallback_reason: 'other_snapshots' });
    const folder = await restore(beside.row?.id ?? 0);
    expect(readFileSync(path.join(folder, 'disk1-flat.vmdk')).equals(base)).toBe(true);
    const delta = 'disk1-000001-delta.vmdk';
    expect(readFileSync(path.join(folder, delta)).equals(readFileSync(path.join(dir(), delta)))).toBe(true);

    await removeSnapshot(client, user);
    const after = await backUp();
    expect(after.row).toMatchObject({ mode: 'full', cbt_fallback_reason: 'no_previous_restore_point' });
    expect((await restoredDisk(after.row?.id ?? 0)).equals(disk)).toBe(true);
    await write(1 * MiB);
    const next = await backUp();
    expect(next.row).toMatchObject({ mode: 'incremental', bytes_read: MiB + SMALL });
    expect((await restoredDisk(next.row?.id ?? 0)).equals(disk)).toBe(true);

    // A damaged earlier copy of a changed chunk: the chunk is fetched whole instead of being patched.
    const undo = flipByte(chunkFileOf(next.row?.index_path ?? '', 'disk1-flat.vmdk', 0));
    await write(100, 64 * 1024);
    const patched = await backUp();
    undo();
    expect(patched.row).toMatchObject({ mode: 'incremental', bytes_read: CHUNK + SMALL });
    expect((await restoredDisk(patched.row?.id ?? 0)).equals(disk)).toBe(true);
  });
});
