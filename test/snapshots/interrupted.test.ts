/**
 * A schedule's snapshot_create job whose worker died: the host task may have finished or not. The cleanup reads
 * the VM's tree: a snapshot of the asked name made after the record is confirmed as the schedule's (so the next
 * run prunes it), a record with no such snapshot is dropped, and the schedule shows the interruption.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { insertJob } from '../../src/db/jobs.js';
import { jobs, snapshot_schedule_snapshots, snapshot_schedules } from '../../src/db/schema.js';
import { recordAskedSnapshot } from '../../src/db/snapshot-records.js';
import { insertSnapshotSchedule } from '../../src/db/snapshot-schedules.js';
import { readStored } from '../../src/i18n/message.js';
import { snapshotCreateJob } from '../../src/snapshots/index.js';
import { createSnapshot, type VSphereClient, vmRef } from '../../src/vsphere/index.js';
import { addServer, connect } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('an interrupted scheduled snapshot', () => {
  let sim: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let vm = { id: 0, moref: '' };

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 1 });
    t = await createTestApp();
    const row = (await listVirtualMachines(t.deps.db, { esxi_server: await addServer(t.deps, sim, 'esx') }))
      .rows[0]?.vm;
    vm = { id: row?.id ?? 0, moref: row?.moref ?? '' };
    client = await connect(sim);
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    await sim?.stop();
  });

  /** A schedule, and an interrupted job of it that recorded asking for snapshot `name`. */
  async function interrupted(name: string) {
    const schedule = await insertSnapshotSchedule(t.deps.db, {
      name: 'nightly',
      virtual_machine_id: vm.id,
      schedule: { preset: 'daily', time: '22:00', timezone: 'UTC' },
      keep_last: 2,
    });
    const payload = {
      virtual_machine_id: vm.id,
      name,
      description: '',
      memory: false,
      quiesce: false,
      schedule_id: schedule,
    };
    const job = await insertJob(t.deps.db, { type: 'snapshot_create', target_label: name, payload });
    await recordAskedSnapshot(t.deps.db, {
      schedule_id: schedule,
      vm_moref: vm.moref,
      snapshot_name: name,
      job_id: job.id,
    });
    await t.deps.db
      .update(jobs)
      .set({ status: 'FAILED', finished_at: new Date() })
      .where(eq(jobs.id, job.id));
    return { schedule, job: { ...job, status: 'FAILED' as const } };
  }
  const records = async (schedule: number) =>
    t.deps.db
      .select()
      .from(snapshot_schedule_snapshots)
      .where(eq(snapshot_schedule_snapshots.schedule_id, schedule));

  it('confirms the snapshot the host made after all', async () => {
    const { schedule, job } = await interrupted('nightly 2026-12-01 22:00');
    await createSnapshot(client, vmRef(vm.moref), { name: 'nightly 2026-12-01 22:00' });
    await snapshotCreateJob.cleanupInterrupted?.(job, t.deps);
    const [record] = await records(schedule);
    expect(record?.snapshot_moref).toMatch(/snapshot/);
    const [row] = await t.deps.db
      .select()
      .from(snapshot_schedules)
      .where(eq(snapshot_schedules.id, schedule));
    expect(readStored(row?.last_error)).toMatchObject({ key: 'jobs.error.interrupted', code: 'interrupted' });
  });

  it('drops the record of a snapshot the host never made', async () => {
    const { schedule, job } = await interrupted('nightly 2026-12-02 22:00');
    await snapshotCreateJob.cleanupInterrupted?.(job, t.deps);
    expect(await records(schedule)).toEqual([]);
  });
});
