/**
 * Snapshot schedules on a simulated host, slots driven by the scheduler's pass with a fake "now": keep_last
 * keeps the schedule's newest and never touches an admin's snapshot nor one named like the schedule's but made
 * by hand; a snapshot deleted by hand leaves the record quietly; two processes claiming one slot make one
 * snapshot; slots missed while the app was down run once at start-up; the gauge counts active schedules.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { jobs, snapshot_schedule_snapshots, snapshot_schedules } from '../../src/db/schema.js';
import { createDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { runSnapshotSchedulerPass, slotStamp, startSnapshotScheduler } from '../../src/snapshots/index.js';
import {
  createSnapshot,
  readSnapshotTree,
  removeSnapshot,
  snapshotRef,
  type VSphereClient,
  vmRef,
} from '../../src/vsphere/index.js';
import { addServer, connect } from '../backup/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('snapshot schedules', () => {
  let sim: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let api: ReturnType<typeof apiClient>;
  const vms: Array<{ id: number; moref: string }> = [];

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 3 });
    t = await createTestApp({}, { runner: true });
    const rows = (await listVirtualMachines(t.deps.db, { esxi_server: await addServer(t.deps, sim, 'esx') }))
      .rows;
    for (const r of rows) vms.push({ id: r.vm.id, moref: r.vm.moref });
    client = await connect(sim);
    const { headers } = await t.apiUser('operator');
    api = apiClient(async (url, init) => t.app.request(url, init), { ...headers, 'Accept-Language': 'en' });
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    await sim?.stop();
  });

  const every = { preset: 'cron', cron: '* * * * *', timezone: 'UTC' };
  const names = async (moref: string) =>
    (await readSnapshotTree(client, vmRef(moref))).snapshots.map((s) => s.name);
  const schedule = async (id: number) =>
    (await t.deps.db.select().from(snapshot_schedules).where(eq(snapshot_schedules.id, id)))[0];
  const finished = async (jobId: number) => {
    await expect
      .poll(async () => (await t.deps.db.select().from(jobs).where(eq(jobs.id, jobId)))[0]?.status, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe('COMPLETED');
  };
  /** Runs the schedule's next slot (a pass one second after it). @returns the slot's time. */
  const runSlot = async (id: number) => {
    const slot = (await schedule(id))?.next_run_at as Date;
    const queued = await runSnapshotSchedulerPass(t.deps, new Date(slot.getTime() + 1000));
    expect(queued).toHaveLength(1);
    await finished(queued[0] as number);
    return slot;
  };

  it('keeps its two newest and never removes an admin’s snapshot nor a same-named one made by hand', async () => {
    const vm = vms[0] as { id: number; moref: string };
    const created = await api.call('POST', '/api/snapshot-schedules/', {
      name: 'hourly',
      virtual_machine: vm.id,
      schedule: every,
      keep_last: 2,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schedule_description: expect.any(String), is_active: true });
    expect(created.body.next_runs).toHaveLength(3);
    const id = created.body.id as number;
    const first = (await schedule(id))?.next_run_at as Date;
    await createSnapshot(client, vmRef(vm.moref), { name: 'admin before patch' });
    await createSnapshot(client, vmRef(vm.moref), { name: `hourly ${slotStamp(first, 'UTC')}` });

    const slots = [await runSlot(id), await runSlot(id), await runSlot(id)];
    const stamp = (d: Date) => `hourly ${slotStamp(d, 'UTC')}`;
    expect(await names(vm.moref)).toEqual([
      'admin before patch',
      stamp(first),
      stamp(slots[1] as Date),
      stamp(slots[2] as Date),
    ]);
    const tree = (await api.call('GET', `/api/virtual-machines/${vm.id}/snapshots/`)).body
      .snapshots as Json[];
    expect(tree.map((s) => s.schedule)).toEqual([null, null, id, id]);
    expect((await schedule(id))?.last_error).toBeNull();

    const own = tree[3]?.moref as string;
    await removeSnapshot(client, snapshotRef(own));
    const fourth = await runSlot(id);
    expect(await names(vm.moref)).toEqual([
      'admin before patch',
      stamp(first),
      stamp(slots[1] as Date),
      stamp(fourth),
    ]);
    const records = await t.deps.db
      .select()
      .from(snapshot_schedule_snapshots)
      .where(eq(snapshot_schedule_snapshots.schedule_id, id));
    expect(records.map((r) => r.snapshot_moref)).not.toContain(own);
    expect(records).toHaveLength(2);
    expect((await schedule(id))?.last_error).toBeNull();
  });

  it('makes one snapshot when two processes claim the same slot', async () => {
    const vm = vms[1] as { id: number; moref: string };
    const created = await api.call('POST', '/api/snapshot-schedules/', {
      name: 'shared',
      virtual_machine: vm.id,
      schedule: every,
      keep_last: 5,
    });
    const slot = (await schedule(created.body.id as number))?.next_run_at as Date;
    const other = await openDatabase({ databaseUrl: t.database.url, dataDir: '/tmp' });
    try {
      const second = createDeps(t.deps.config, other, createLogger('silent'));
      const now = new Date(slot.getTime() + 1000);
      const [a, b] = await Promise.all([
        runSnapshotSchedulerPass(t.deps, now),
        runSnapshotSchedulerPass(second, now),
      ]);
      expect([...(a ?? []), ...(b ?? [])]).toHaveLength(1);
      await finished([...(a ?? []), ...(b ?? [])][0] as number);
    } finally {
      await other.close();
    }
    expect(await names(vm.moref)).toEqual([`shared ${slotStamp(slot, 'UTC')}`]);
  });

  it('runs slots missed while the app was down once, at start-up', async () => {
    const vm = vms[2] as { id: number; moref: string };
    const created = await api.call('POST', '/api/snapshot-schedules/', {
      name: 'missed',
      virtual_machine: vm.id,
      schedule: every,
      keep_last: 5,
    });
    const id = created.body.id as number;
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await t.deps.db
      .update(snapshot_schedules)
      .set({ next_run_at: tenMinutesAgo })
      .where(eq(snapshot_schedules.id, id));
    const stop = startSnapshotScheduler(t.deps, 200);
    try {
      await expect.poll(async () => (await names(vm.moref)).length, { timeout: 20_000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      stop();
    }
    expect(await names(vm.moref)).toEqual([`missed ${slotStamp(tenMinutesAgo, 'UTC')}`]);
    expect((await schedule(id))?.next_run_at?.getTime() ?? 0).toBeGreaterThan(Date.now() - 1000);
  });

  it('counts the active schedules in esxi_snapshot_schedules_active', async () => {
    const gauge = async () =>
      Number(
        /^esxi_snapshot_schedules_active (\d+)$/m.exec(
          await (await t.app.request('/api/metrics')).text(),
        )?.[1],
      );
    const before = await gauge();
    const ids: number[] = [];
    for (const name of ['gauge a', 'gauge b', 'gauge c']) {
      const body = {
        name,
        virtual_machine: vms[2]?.id,
        schedule: { preset: 'daily', time: '03:00', timezone: 'UTC' },
        keep_last: 1,
      };
      ids.push((await api.call('POST', '/api/snapshot-schedules/', body)).body.id as number);
    }
    expect(await gauge()).toBe(before + 3);
    const off = await api.call('PATCH', `/api/snapshot-schedules/${ids[0]}/`, { is_active: false });
    expect(off.body).toMatchObject({ is_active: false });
    expect(await gauge()).toBe(before + 2);
    const mine = (await api.call('GET', `/api/snapshot-schedules/?virtual_machine=${vms[2]?.id}`))
      .body as unknown as Json[];
    expect(mine.map((s) => s.name)).toEqual(expect.arrayContaining(['gauge a', 'gauge b', 'gauge c']));
    expect(new Set(mine.map((s) => s.virtual_machine))).toEqual(new Set([vms[2]?.id]));
    const bad = await api.call('POST', '/api/snapshot-schedules/', {
      name: 'x',
      virtual_machine: vms[0]?.id,
      schedule: { preset: 'cron', cron: 'not cron', timezone: 'UTC' },
      keep_last: 0,
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors as Json).sort()).toEqual(['keep_last', 'schedule']);
  });
});
