/**
 * Backup job runs for real: a job runner with JOB_CONCURRENCY=1 (the run takes no slot, its VM backups do), a
 * simulated host, a storage path. Selection by host and globs, retries, a failing VM, cancel, the 409 of a
 * second start, and after_backup verification schedules firing for the job's restore points.
 */
import { cpSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { virtual_machines } from '../../src/db/schema.js';
import { syncInventory } from '../../src/inventory/sync.js';
import { runSchedulerPass } from '../../src/surebackup/scheduler.js';
import { powerOff, powerOn, registerVm, vmRef } from '../../src/vsphere/index.js';
import { findPlacement } from '../../src/vsphere/placement.js';
import { connect, removeStorageDirs } from '../backup/support.js';
import type { Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createJob, type JobsWorld, jobsWorld, runEnded, runToEnd } from './support.js';

describe('backup job runs', () => {
  let sim: Simulator;
  let t: TestApp;
  let w: JobsWorld;

  beforeEach(async () => {
    sim = await startSimulator({ tls: false, vms: 4 });
    t = await createTestApp({ JOB_CONCURRENCY: '1' }, { runner: true });
    w = await jobsWorld(t, sim);
  });
  afterEach(async () => {
    await t?.close();
    await sim?.stop();
  });
  afterAll(() => removeStorageDirs());

  const names = (list: Json[]) => list.map((v) => v.name ?? v.vm_name).sort();

  it('selects a host’s VMs by include and exclude globs, skips powered-off ones, and picks up a VM registered later', async () => {
    const client = await connect(sim);
    const vm2 = await t.deps.db.query.virtual_machines.findFirst({
      where: (v, { eq }) => eq(v.name, 'ha-host_VM2'),
    });
    await powerOff(client, vmRef(vm2?.moref ?? ''));
    await syncInventory(t.deps, w.serverId);
    const job = await createJob(w, {
      name: 'nightly',
      esxi_servers: [w.serverId],
      include_patterns: ['ha-host_vm*', 'late-*'],
      exclude_patterns: ['*VM3'],
      skip_powered_off: true,
    });
    const preview = (await w.call('GET', `/api/backup-jobs/${job.id}/selection/`)).body;
    expect(names(preview.selected as Json[])).toEqual(['ha-host_VM0', 'ha-host_VM1']);

    const first = await runToEnd(w, job.id as number);
    expect(first.status).toBe('success');
    expect(names(first.vm_results as Json[])).toEqual(['ha-host_VM0', 'ha-host_VM1']);
    for (const line of first.vm_results as Json[]) {
      expect(line).toMatchObject({ status: 'success', attempts: 1, error: null, mode: 'full' });
      expect(line.vm_backup).toEqual(expect.any(Number));
      expect(line.bytes_read).toEqual(expect.any(Number));
    }

    // A VM that appears on the host after an inventory sync: a copy of VM3's folder, registered as late-web.
    const ds = sim.datastores[0] as { name: string; path: string };
    cpSync(path.join(ds.path, 'ha-host_VM3'), path.join(ds.path, 'late-web'), { recursive: true });
    renameSync(
      path.join(ds.path, 'late-web', 'ha-host_VM3.vmx'),
      path.join(ds.path, 'late-web', 'late-web.vmx'),
    );
    renameSync(
      path.join(ds.path, 'late-web', 'ha-host_VM3.nvram'),
      path.join(ds.path, 'late-web', 'late-web.nvram'),
    );
    const { vmFolder: folder, pool } = await findPlacement(client);
    const vmxPath = `[${ds.name}] late-web/late-web.vmx`;
    const late = await registerVm(client, { folder, pool, vmxPath, name: 'late-web' });
    await powerOn(client, late);
    await client.logout();
    await syncInventory(t.deps, w.serverId);
    const second = await runToEnd(w, job.id as number);
    expect(second.status).toBe('success');
    expect(names(second.vm_results as Json[])).toEqual(['ha-host_VM0', 'ha-host_VM1', 'late-web']);
  });

  it('retries a VM whose files the host cannot serve, ends failed with its error, and backs up the others', async () => {
    const broken = 'ha-host_VM1';
    rmSync(path.join(sim.datastores[0]?.path ?? '', broken, 'disk1-flat.vmdk'), { force: true });
    const job = await createJob(w, {
      name: 'with-retries',
      virtual_machines: [w.vms['ha-host_VM0'], w.vms[broken]],
      use_change_tracking: false,
      retry_count: 1,
      retry_delay_seconds: 1,
    });
    const run = await runToEnd(w, job.id as number);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/1 VM sur 2 en échec/);
    const lines = Object.fromEntries((run.vm_results as Json[]).map((l) => [l.vm_name, l]));
    expect(lines['ha-host_VM0']).toMatchObject({ status: 'success', attempts: 1 });
    expect(lines[broken]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(lines[broken]?.error).toEqual(expect.stringMatching(/\S{3}/));
    const english = await t.app.request(`/api/backup-job-runs/${run.id}/`, {
      headers: { ...(await t.apiUser('viewer')).headers, 'Accept-Language': 'en' },
    });
    expect(((await english.json()) as Json).error).toBe('1 of 2 VMs failed after their retries.');
    const operation = (await w.call('GET', `/api/operations/${run.operation}/`)).body;
    expect(operation.status).toBe('FAILED');
  });

  it('refuses a second start while a run is running (409), and cancels a run: its backups cancelled, no new one', async () => {
    const job = await createJob(w, {
      name: 'cancel-me',
      esxi_servers: [w.serverId],
      max_parallel_vms: 1,
    });
    const started = await w.call('POST', `/api/backup-jobs/${job.id}/run/`);
    expect(started.status).toBe(201);
    const again = await w.call('POST', `/api/backup-jobs/${job.id}/run/`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'backup_job_running' });
    expect(again.body.message).toMatch(/déjà en cours/);
    await w.until(
      `/api/backup-job-runs/${started.body.id}/`,
      (r) => (r.vm_results as Json[] | undefined)?.some((l) => l.status === 'running') ?? false,
    );
    const cancel = await w.call('POST', `/api/backup-job-runs/${started.body.id}/cancel/`);
    expect(cancel.status).toBe(200);
    const run = await w.until(`/api/backup-job-runs/${started.body.id}/`, runEnded);
    expect(run.status).toBe('cancelled');
    const statuses = (run.vm_results as Json[]).map((l) => l.status);
    expect(statuses).toHaveLength(4);
    expect(statuses.filter((s) => s === 'cancelled').length).toBeGreaterThanOrEqual(3);
    expect(statuses).not.toContain('running');
    expect(statuses).not.toContain('pending');
    const progress = (await w.call('GET', `/api/backup-job-runs/${started.body.id}/progress/`)).body;
    expect(progress).toMatchObject({ status: 'cancelled', progress: 100, message: 'annulée' });
    const twice = await w.call('POST', `/api/backup-job-runs/${started.body.id}/cancel/`);
    expect(twice.status).toBe(409);
    const next = await runToEnd(w, job.id as number);
    expect(next.status).toBe('success');
  });

  it('ends warning when an explicit VM is gone from its host: its line is skipped with the reason', async () => {
    const job = await createJob(w, {
      name: 'with-a-gone-vm',
      virtual_machines: [w.vms['ha-host_VM0'], w.vms['ha-host_VM1']],
    });
    await t.deps.db
      .update(virtual_machines)
      .set({ is_present: false })
      .where(eq(virtual_machines.id, w.vms['ha-host_VM1'] as number));
    const run = await runToEnd(w, job.id as number);
    expect(run.status).toBe('warning');
    const lines = Object.fromEntries((run.vm_results as Json[]).map((l) => [l.vm_name, l]));
    expect(lines['ha-host_VM0']).toMatchObject({ status: 'success' });
    expect(lines['ha-host_VM1']).toMatchObject({ status: 'skipped', error_code: 'vm_gone', vm_backup: null });
  });

  it('turns CBT on for a VM that lacks it, and its next backup reads incrementally', async () => {
    const vm = w.vms['ha-host_VM0'] as number;
    expect((await w.call('GET', `/api/virtual-machines/${vm}/`)).body.change_tracking_enabled).toBe(false);
    const job = await createJob(w, { name: 'cbt', virtual_machines: [vm], use_change_tracking: true });
    const first = await runToEnd(w, job.id as number);
    expect(first.status).toBe('success');
    expect((await w.call('GET', `/api/virtual-machines/${vm}/`)).body.change_tracking_enabled).toBe(true);
    const second = await runToEnd(w, job.id as number);
    expect((second.vm_results as Json[])[0]).toMatchObject({ status: 'success', mode: 'incremental' });
  });

  it('applies the job’s retention after each VM’s backup: keep_last 2 after three runs leaves two', async () => {
    const vm = w.vms['ha-host_VM0'] as number;
    const job = await createJob(w, { name: 'keep-two', virtual_machines: [vm], retention: { keep_last: 2 } });
    for (let i = 0; i < 3; i++) expect((await runToEnd(w, job.id as number)).status).toBe('success');
    const kept = (await w.call('GET', `/api/vm-backups/?virtual_machine=${vm}&status=COMPLETED`)).body;
    expect(kept).toHaveLength(2);
  });

  it('fires an after_backup verification schedule for the restore points a job made', async () => {
    const vm = w.vms['ha-host_VM0'] as number;
    const schedule = await w.call('POST', '/api/verification-schedules/', {
      name: 'after each backup',
      virtual_machine: vm,
      esxi_server: w.serverId,
      frequency: 'after_backup',
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    const job = await createJob(w, { name: 'verified', virtual_machines: [vm] });
    const run = await runToEnd(w, job.id as number);
    expect(run.status).toBe('success');
    const backupId = (run.vm_results as Json[])[0]?.vm_backup;
    await runSchedulerPass(t.deps);
    const verifications = (await w.call('GET', `/api/backup-verifications/?vm_backup=${backupId}`)).body;
    expect(verifications).toHaveLength(1);
  });
});
