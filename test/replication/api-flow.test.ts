import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vm_replications } from '../../src/db/schema.js';
import { stagingFolder } from '../../src/replication/cycle.js';
import { scheduleDueReplications, startFailoverMonitor } from '../../src/replication/index.js';
import { addPortgroup, vmNicNetworks } from '../../src/vsphere/index.js';
import { vmRef } from '../../src/vsphere/vm-ops.js';
import { addServer, connect, putFile, sha256 } from '../backup/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { datastoreSha, eventEnded, runEnded, vmId, vmNamed } from './support.js';

describe('replication and failover through the API, the job runner and three simulators', () => {
  let source: Simulator;
  let dest: Simulator;
  let spare: Simulator;
  let t: TestApp;
  let api: ReturnType<typeof apiClient>;
  let ids: { source: number; dest: number; spare: number };
  let stopMonitor = () => {};
  const disk = randomBytes(64 * 1024 * 1024);
  const refreshed = randomBytes(256 * 1024 * 1024); // the source disk's data for the refresh tests
  const vm0 = () => source.vms.find((v) => v.endsWith('VM0')) as string;
  const ds = () => dest.datastores[0]?.name as string;

  beforeAll(async () => {
    [source, dest, spare] = await Promise.all([
      startSimulator({ tls: true }),
      startSimulator({ tls: false }),
      startSimulator({ tls: false, vms: 3 }),
    ]);
    const client = await connect(source);
    await putFile(client, source, `${vm0()}/disk1-flat.vmdk`, disk);
    await client.logout();
    t = await createTestApp(
      { AUTO_FAILOVER_THRESHOLD_SECONDS: '2', FAILOVER_MONITOR_INTERVAL_SECONDS: '0' },
      { runner: true },
    );
    api = apiClient(
      (url, init) => Promise.resolve(t.app.request(url, init)),
      (await t.apiUser('operator')).headers,
    );
    ids = {
      source: await addServer(t.deps, source, 'source'),
      dest: await addServer(t.deps, dest, 'dest'),
      spare: await addServer(t.deps, spare, 'spare'),
    };
  });
  afterAll(async () => {
    stopMonitor();
    await t?.close();
    await Promise.all([source?.stop(), dest?.stop(), spare?.stop()]);
  });

  const create = async (body: Json) =>
    api.call('POST', '/api/vm-replications/', {
      name: `r-${Math.random()}`,
      destination_server: ids.dest,
      destination_datastore: ds(),
      ...body,
    });
  const run = async (id: number, body?: Json) => {
    const started = await api.call('POST', `/api/vm-replications/${id}/start_replication/`, body);
    expect(started).toMatchObject({ status: 200, body: { status: 'started' } });
    const progress = `/api/vm-replications/runs/${started.body.replication_id}/progress/`;
    return api.until(progress, runEnded);
  };
  const failover = async (id: number, body: Json) => {
    const event = await api.call('POST', `/api/vm-replications/${id}/trigger_failover/`, body);
    expect(event).toMatchObject({ status: 201, body: { status: 'initiated', replication: id } });
    return api.until(`/api/failover-events/${event.body.id}/`, eventEnded);
  };
  let main: Json;

  it('answers 400 and 409 with messages to bad replications', async () => {
    const vm = await vmId(api, ids.source, vm0());
    const same = await create({ virtual_machine: vm, destination_server: ids.source });
    expect(same.status).toBe(400);
    expect((same.body.errors as Json).destination_server).toBeDefined();
    expect(same.body.message).toMatch(/destination/);
    expect((await create({ virtual_machine: 999_999 })).status).toBe(400);
    expect((await create({ virtual_machine: vm, destination_datastore: 'nope' })).status).toBe(400);
    const first = await create({ name: 'main', virtual_machine: vm, replication_interval_minutes: 30 });
    expect(first.status).toBe(201);
    main = first.body;
    expect(main).toMatchObject({
      vm_name: vm0(),
      source_server_name: 'source',
      destination_server_name: 'dest',
    });
    expect(main).toMatchObject({ status: 'active', status_display: 'Active', failover_mode: 'manual' });
    const twice = await create({ virtual_machine: vm });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain(vm0());
    const patched = await api.call('PATCH', `/api/vm-replications/${main.id}/`, {
      replication_interval_minutes: 20,
    });
    expect(patched.body).toMatchObject({ replication_interval_minutes: 20, name: 'main' });
  });

  it('replicates a VM: identical files, replica registered and off, no snapshot left', async () => {
    expect(await run(main.id as number)).toMatchObject({ status: 'completed', progress: 100 });
    const d = await connect(dest);
    const replica = `${vm0()}_replica`;
    expect(await datastoreSha(d, dest, `${replica}/disk1-flat.vmdk`)).toBe(sha256(disk));
    const registered = await vmNamed(d, replica);
    expect(registered?.power_state).toBe('poweredOff');
    await d.logout();
    const s = await connect(source);
    expect((await vmNamed(s, vm0()))?.snapshots).toEqual([]);
    await s.logout();
    const row = (await api.call('GET', `/api/vm-replications/${main.id}/`)).body;
    expect(row).toMatchObject({ status: 'active', replica_name: replica, last_error: null });
    expect(row.total_replicated_size_mb as number).toBeGreaterThanOrEqual(64);
    expect(row.last_replication_at).not.toBeNull();
    expect(row.next_run_at).not.toBeNull();
  });

  it('says the replica exists on a second start, and delete-and-retry replicates again', async () => {
    const check = await api.call('GET', `/api/vm-replications/${main.id}/check_replica_exists/`);
    expect(check.body).toMatchObject({ exists: true, replica_name: `${vm0()}_replica` });
    const again = await api.call('POST', `/api/vm-replications/${main.id}/start_replication/`);
    expect(again).toMatchObject({
      status: 409,
      body: { replica_exists: true, replica_name: `${vm0()}_replica` },
    });
    expect(await run(main.id as number, { existing_replica: 'delete' })).toMatchObject({
      status: 'completed',
    });
    const d = await connect(dest);
    expect((await vmNamed(d, `${vm0()}_replica`))?.power_state).toBe('poweredOff');
    await d.logout();
  });

  it('test failover leaves the source running and the replica on the isolated portgroup', async () => {
    const d = await connect(dest);
    await addPortgroup(d, { name: 'VM Network Isolated' });
    const event = await failover(main.id as number, { reason: 'DR drill', test_mode: true });
    expect(event).toMatchObject({
      status: 'completed',
      failover_type: 'test',
      destination_vm_powered_on: true,
    });
    expect(event.source_vm_powered_off).toBe(false);
    const steps = (event.step_log as Json[]).map((s) => s.step);
    expect(steps).toEqual(
      expect.arrayContaining([
        'initiation',
        'validation',
        'power_on_replica',
        'verification',
        'finalisation',
      ]),
    );
    const replica = await vmNamed(d, `${vm0()}_replica`);
    expect(replica?.power_state).toBe('poweredOn');
    const nics = await vmNicNetworks(d, vmRef(replica?.moref as string));
    expect(nics.length).toBeGreaterThan(0);
    expect(nics.every((n) => n.network === 'VM Network Isolated')).toBe(true);
    await d.logout();
    const s = await connect(source);
    expect((await vmNamed(s, vm0()))?.power_state).toBe('poweredOn');
    await s.logout();
  });

  it('keeps the last good replica whole when a refresh stops midway', async () => {
    const s = await connect(source);
    await putFile(s, source, `${vm0()}/disk1-flat.vmdk`, refreshed);
    await s.logout();
    const started = await api.call('POST', `/api/vm-replications/${main.id}/start_replication/`, {
      existing_replica: 'refresh',
    });
    const runId = started.body.replication_id as number;
    const progress = `/api/vm-replications/runs/${runId}/progress/`;
    await api.until(progress, (p) => (p.progress as number) >= 10 || runEnded(p));
    await api.call('POST', `/api/vm-replications/runs/${runId}/cancel/`);
    expect(await api.until(progress, runEnded)).toMatchObject({ status: 'cancelled' });
    const d = await connect(dest);
    const replica = `${vm0()}_replica`;
    expect(await datastoreSha(d, dest, `${replica}/disk1-flat.vmdk`)).toBe(sha256(disk));
    await expect(datastoreSha(d, dest, `${stagingFolder(replica, runId)}/disk1-flat.vmdk`)).rejects.toThrow();
    await d.logout();
  });

  it('refuses to refresh a replica whose source disks changed, and leaves the replica as it was', async () => {
    const disks = async () =>
      (
        await t.deps.db
          .select({ disks: vm_replications.replicated_disks })
          .from(vm_replications)
          .where(eq(vm_replications.id, main.id as number))
      )[0]?.disks;
    expect(await disks()).toEqual(['disk1.vmdk']);
    // As if the replica had been made before a disk was added to the source (the simulator cannot add one).
    const setDisks = (value: string[]) =>
      t.deps.db
        .update(vm_replications)
        .set({ replicated_disks: value })
        .where(eq(vm_replications.id, main.id as number));
    await setDisks(['disk0.vmdk']);
    expect(await run(main.id as number, { existing_replica: 'refresh' })).toMatchObject({ status: 'error' });
    const row = (await api.call('GET', `/api/vm-replications/${main.id}/`)).body;
    expect(row.status).toBe('error');
    expect(row.last_error).toContain(
      'changed since its replica was made (now: disk1.vmdk; replica: disk0.vmdk)',
    );
    const d = await connect(dest);
    expect(await datastoreSha(d, dest, `${vm0()}_replica/disk1-flat.vmdk`)).toBe(sha256(disk));
    await d.logout();
    await setDisks(['disk1.vmdk']);
  });

  it('refreshes the replica (powered off) and a manual failover powers the source off and the replica on', async () => {
    expect(await run(main.id as number, { existing_replica: 'refresh' })).toMatchObject({
      status: 'completed',
    });
    const d = await connect(dest);
    expect(await datastoreSha(d, dest, `${vm0()}_replica/disk1-flat.vmdk`)).toBe(sha256(refreshed));
    expect((await vmNamed(d, `${vm0()}_replica`))?.power_state).toBe('poweredOff');
    const event = await failover(main.id as number, { reason: 'maintenance', test_mode: false });
    expect(event).toMatchObject({ status: 'completed', failover_type: 'manual' });
    expect(event).toMatchObject({ source_vm_powered_off: true, destination_vm_powered_on: true });
    expect((await vmNamed(d, `${vm0()}_replica`))?.power_state).toBe('poweredOn');
    await d.logout();
    const s = await connect(source);
    expect((await vmNamed(s, vm0()))?.power_state).toBe('poweredOff');
    await s.logout();
    expect((await api.call('GET', `/api/vm-replications/${main.id}/`)).body.status).toBe('paused');
    const listed = (await api.call('GET', `/api/failover-events/?replication=${main.id}`)).body;
    expect(listed.map((e) => e.failover_type)).toEqual(['manual', 'test']);
  });

  it('asks before resuming over the replica a failover put in service', async () => {
    const resume = `/api/vm-replications/${main.id}/resume/`;
    const refused = await api.call('POST', resume);
    expect(refused).toMatchObject({ status: 409, body: { replica_in_service: true } });
    expect(refused.body.message).toContain(`${vm0()}_replica`);
    expect((await api.call('GET', `/api/vm-replications/${main.id}/`)).body.status).toBe('paused');
    const { cookie, csrf } = await t.signIn('operator');
    const form = (body: Record<string, string>) =>
      t.app.request(`/replication/${main.id}/resume`, {
        method: 'POST',
        headers: {
          Cookie: cookie,
          'HX-Request': 'true',
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'http://localhost',
        },
        body: new URLSearchParams({ _csrf: csrf, ...body }),
      });
    const dialog = await (await form({})).text();
    expect(dialog).toContain('data-testid="resume-overwrite-dialog"');
    expect(dialog).toContain('Reprendre et écraser la réplique');
    expect((await api.call('GET', `/api/vm-replications/${main.id}/`)).body.status).toBe('paused');
    expect((await form({ overwrite_replica: 'on' })).status).toBe(200);
    expect((await api.call('GET', `/api/vm-replications/${main.id}/`)).body.status).toBe('active');
    await api.call('POST', `/api/vm-replications/${main.id}/pause/`);
    expect(await api.call('POST', resume, { overwrite_replica: 'yes' })).toMatchObject({ status: 400 });
    expect(await api.call('POST', resume, { overwrite_replica: true })).toMatchObject({
      status: 200,
      body: { status: 'active' },
    });
    await api.call('POST', `/api/vm-replications/${main.id}/pause/`);
  });

  it('fails over automatically once when the source host dies, and only errors in manual mode', async () => {
    const vm1 = source.vms.find((v) => v.endsWith('VM1')) as string;
    const auto = await create({
      virtual_machine: await vmId(api, ids.source, vm1),
      failover_mode: 'automatic',
    });
    const spareVm = spare.vms.find((v) => v.endsWith('VM2')) as string;
    const manual = await create({
      virtual_machine: await vmId(api, ids.spare, spareVm),
      failover_mode: 'manual',
    });
    expect([auto.status, manual.status]).toEqual([201, 201]);
    expect(await run(auto.body.id as number)).toMatchObject({ status: 'completed' });
    expect(await run(manual.body.id as number)).toMatchObject({ status: 'completed' });
    stopMonitor = startFailoverMonitor(t.deps, 0.5);
    source.kill();
    spare.kill();
    const events = async () =>
      (await api.call('GET', `/api/failover-events/?replication=${auto.body.id}`)).body;
    await expect.poll(async () => (await events()).length, { timeout: 30_000 }).toBe(1);
    const [event] = await events();
    const done = await api.until(`/api/failover-events/${event?.id}/`, eventEnded);
    expect(done).toMatchObject({
      status: 'completed',
      failover_type: 'automatic',
      destination_vm_powered_on: true,
    });
    expect(done.reason).toMatch(/unreachable/);
    const manualRow = await api.until(`/api/vm-replications/${manual.body.id}/`, (s) => s.status === 'error');
    expect(manualRow.last_error).toMatch(/unreachable/);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await events()).toHaveLength(1);
    expect((await api.call('GET', `/api/failover-events/?replication=${manual.body.id}`)).body).toEqual([]);
    const d = await connect(dest);
    expect((await vmNamed(d, `${vm1}_replica`))?.power_state).toBe('poweredOn');
    await d.logout();
  });
  it('shows the replications and the failover history with its steps on the pages', async () => {
    const { cookie } = await t.signIn('viewer');
    const page = async (url: string) => (await t.app.request(url, { headers: { Cookie: cookie } })).text();
    const replication = await page('/replication/');
    expect(replication).toContain('data-testid="replication-row"');
    expect(replication).toContain('En pause');
    expect(replication).not.toContain('data-testid="start-replication"');
    const failover = await page('/failover');
    expect(failover.match(/data-testid="failover-row"/g)).toHaveLength(3);
    expect(failover).toContain('Démarrage de la réplique');
    expect(failover).toContain('terminé');
  });
  it('fires a due schedule once even when two schedulers claim it at the same time', async () => {
    const rows = (await api.call('GET', '/api/vm-replications/')).body;
    const due = rows.find((r) => r.status === 'error') as Json;
    await t.deps.db
      .update(vm_replications)
      .set({ next_run_at: new Date(Date.now() - 1000) })
      .where(eq(vm_replications.id, due.id as number));
    const [a, b] = await Promise.all([scheduleDueReplications(t.deps), scheduleDueReplications(t.deps)]);
    expect(a.length + b.length).toBe(1);
    const next = (await api.call('GET', `/api/vm-replications/${due.id}/`)).body.next_run_at as string;
    expect(new Date(next).getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect((await scheduleDueReplications(t.deps)).length).toBe(0);
  });
});
