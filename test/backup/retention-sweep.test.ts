import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention, sweepSnapshots, vmBackupJob } from '../../src/backup/index.js';
import { createBackupJob, getBackup, listBackups } from '../../src/db/backups.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { jobs, snapshot_ledger } from '../../src/db/schema.js';
import { recordSnapshot, setSnapshotMoref } from '../../src/db/snapshot-ledger.js';
import { getStoragePath } from '../../src/db/storage-paths.js';
import { storedCode } from '../../src/i18n/message.js';
import { translator } from '../../src/i18n/translate.js';
import { createSnapshot, fetchInventory, type VSphereClient, vmRef } from '../../src/vsphere/index.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { addServer, addStoragePath, connect, removeStorageDirs, runJob } from './support.js';

describe('retention and the snapshot ledger sweep', () => {
  let sim: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let serverId: number;
  let vm: { id: number; moref: string };

  beforeAll(async () => {
    sim = await startSimulator({ tls: false });
    t = await createTestApp({ BACKUP_RETENTION_COUNT: '2' });
    client = await connect(sim);
    serverId = await addServer(t.deps, sim, 'host');
    await addStoragePath(t.deps);
    const row = (await listVirtualMachines(t.deps.db)).rows.find((r) => r.vm.name === 'ha-host_VM0');
    vm = { id: row?.vm.id ?? 0, moref: row?.vm.moref ?? '' };
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  const backup = async (fail = false) => {
    const row = await createBackupJob(t.deps.db, { virtual_machine_id: vm.id });
    const controller = new AbortController();
    if (fail) controller.abort(new Error('stopped'));
    const { job } = await runJob(vmBackupJob, t.deps, row.job_id, { controller });
    // A restore point's index file: retention deletes it (its chunks stay for garbage collection).
    return { id: row.id, status: job.status, dir: (await getBackup(t.deps.db, row.id))?.index_path ?? null };
  };
  const completedIds = async () =>
    (await listBackups(t.deps.db, { virtual_machine: vm.id, status: 'COMPLETED' })).rows
      .map((b) => b.id)
      .sort((a, b) => a - b);

  it('keeps the last N completed backups and never deletes the last good ones because of failures', async () => {
    const b1 = await backup();
    const b2 = await backup();
    expect([b1.status, b2.status]).toEqual(['COMPLETED', 'COMPLETED']);
    const b3 = await backup();
    expect(await completedIds()).toEqual([b2.id, b3.id]);
    expect(b1.dir && existsSync(b1.dir)).toBe(false);
    expect(await getBackup(t.deps.db, b1.id)).toBeNull();

    const failures = [await backup(true), await backup(true), await backup(true)];
    expect(failures.map((f) => f.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(await applyRetention(t.deps, { virtualMachineId: vm.id, keep: 2 })).toEqual([]);
    expect(await completedIds()).toEqual([b2.id, b3.id]);
    expect(existsSync(b2.dir ?? '') && existsSync(b3.dir ?? '')).toBe(true);
    // the failed runs are still listed (history), the next good backup pushes out the oldest good one
    const b4 = await backup();
    expect(await completedIds()).toEqual([b3.id, b4.id]);
    expect(existsSync(b2.dir ?? '')).toBe(false);
    expect(
      (await listBackups(t.deps.db, { virtual_machine: vm.id })).rows.filter((b) => b.status === 'CANCELLED'),
    ).toHaveLength(3);
  });

  it('removes leftover snapshots of finished jobs (by MoRef or by name), leaves running jobs alone', async () => {
    const finished = await createBackupJob(t.deps.db, { virtual_machine_id: vm.id });
    const running = await createBackupJob(t.deps.db, { virtual_machine_id: vm.id });
    await t.deps.db.update(jobs).set({ status: 'FAILED' }).where(eq(jobs.id, finished.job_id));
    await t.deps.db.update(jobs).set({ status: 'IN_PROGRESS' }).where(eq(jobs.id, running.job_id));
    const ref = vmRef(vm.moref);
    const record = (name: string, job: number) =>
      recordSnapshot(t.deps.db, {
        esxi_server_id: serverId,
        vm_moref: vm.moref,
        snapshot_name: name,
        job_id: job,
      });
    const byMoref = await record('left-by-moref', finished.job_id);
    const snap = await createSnapshot(client, ref, { name: 'left-by-moref' });
    await setSnapshotMoref(t.deps.db, byMoref.id, snap.value);
    const byName = await record('left-by-name', finished.job_id);
    await createSnapshot(client, ref, { name: 'left-by-name' });
    const gone = await record('never-created', finished.job_id);
    await setSnapshotMoref(t.deps.db, gone.id, 'snapshot-999999');
    const busy = await record('in-use', running.job_id);
    await createSnapshot(client, ref, { name: 'in-use' });

    expect(await sweepSnapshots(t.deps)).toEqual({ removed: 3, failed: 0 });
    const names = (await fetchInventory(client)).vms
      .find((v) => v.moref === vm.moref)
      ?.snapshots.map((s) => s.name);
    expect(names).toEqual(['in-use']);
    const rows = await t.deps.db.select().from(snapshot_ledger);
    const removed = (id: number) => rows.find((r) => r.id === id)?.removed_at instanceof Date;
    expect([removed(byMoref.id), removed(byName.id), removed(gone.id), removed(busy.id)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(await sweepSnapshots(t.deps)).toEqual({ removed: 0, failed: 0 });
  });

  it('cleans up after an interrupted backup: its .partial directory and its snapshot', async () => {
    const row = await createBackupJob(t.deps.db, { virtual_machine_id: vm.id });
    await t.deps.db.update(jobs).set({ status: 'FAILED' }).where(eq(jobs.id, row.job_id));
    const [job] = await t.deps.db.select().from(jobs).where(eq(jobs.id, row.job_id));
    const root = (await getStoragePath(t.deps.db, row.storage_path_id ?? 0))?.path ?? '';
    const partial = path.join(root, 'ha-host_VM0', `20260101T000000Z-job${row.job_id}.partial`);
    mkdirSync(partial, { recursive: true });
    writeFileSync(path.join(partial, 'disk1-flat.vmdk'), 'half');
    await recordSnapshot(t.deps.db, {
      esxi_server_id: serverId,
      vm_moref: vm.moref,
      snapshot_name: row.snapshot_name,
      job_id: row.job_id,
    });
    await createSnapshot(client, vmRef(vm.moref), { name: row.snapshot_name });
    await vmBackupJob.cleanupInterrupted?.(job as NonNullable<typeof job>, t.deps);
    expect(existsSync(partial)).toBe(false);
    const names = (await fetchInventory(client)).vms
      .find((v) => v.moref === vm.moref)
      ?.snapshots.map((s) => s.name);
    expect(names).not.toContain(row.snapshot_name);
  });

  it('records the error and retries later when the host is unreachable', async () => {
    const job = await createBackupJob(t.deps.db, { virtual_machine_id: vm.id });
    await t.deps.db.update(jobs).set({ status: 'FAILED' }).where(eq(jobs.id, job.job_id));
    const row = await recordSnapshot(t.deps.db, {
      esxi_server_id: serverId,
      vm_moref: vm.moref,
      snapshot_name: 'x',
      job_id: job.job_id,
    });
    await sim.stop();
    expect(await sweepSnapshots(t.deps, { jobId: job.job_id })).toEqual({ removed: 0, failed: 1 });
    const [after] = await t.deps.db.select().from(snapshot_ledger).where(eq(snapshot_ledger.id, row.id));
    expect(after?.removed_at).toBeNull();
    expect(storedCode(after?.last_error)).toBe('Unreachable');
    expect(translator('en').stored(after?.last_error)).toMatch(/^Cannot reach the ESXi host .*refused/);
  });
});
