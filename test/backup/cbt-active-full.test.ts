/** ACTIVE_FULL_EVERY: after that many incremental reads of a disk, the next backup reads it in full. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmBackupJob } from '../../src/backup/index.js';
import { createBackupJob, getBackup } from '../../src/db/backups.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { setChangeTracking, type VSphereClient, vmRef } from '../../src/vsphere/index.js';
import { guestWrite } from '../support/guest-disk.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs, runJob } from './support.js';

const MiB = 1024 * 1024;

describe('a periodic full read with changed block tracking', () => {
  let sim: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let vmId = 0;
  let moref = '';

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 1, diskMib: 16 });
    t = await createTestApp({ ACTIVE_FULL_EVERY: '2' });
    client = await connect(sim);
    await putFile(client, sim, 'ha-host_VM0/disk1-flat.vmdk', randomBytes(16 * MiB));
    const serverId = await addServer(t.deps, sim, 'esx');
    await addStoragePath(t.deps);
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows[0]?.vm;
    vmId = vm?.id ?? 0;
    moref = vm?.moref ?? '';
    await setChangeTracking(client, vmRef(moref), true);
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  it('reads in full after ACTIVE_FULL_EVERY incrementals, then incrementally again', async () => {
    const key = Number((await listVirtualMachines(t.deps.db)).rows[0]?.vm.disks[0]?.key);
    const modes: Array<[string | undefined, string | null | undefined]> = [];
    for (let i = 0; i < 5; i++) {
      await guestWrite(sim, moref, key, i * MiB, randomBytes(4096));
      const created = await createBackupJob(t.deps.db, { virtual_machine_id: vmId });
      const { job } = await runJob(vmBackupJob, t.deps, created.job_id);
      expect(job.error).toBeNull();
      const row = await getBackup(t.deps.db, created.id);
      modes.push([row?.mode, row?.cbt_fallback_reason]);
    }
    expect(modes).toEqual([
      ['full', 'no_previous_restore_point'],
      ['incremental', null],
      ['incremental', null],
      ['full', 'active_full'],
      ['incremental', null],
    ]);
  });
});
