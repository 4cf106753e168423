import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logFailoverStep } from '../../src/db/failover-events.js';
import { failover_events, vm_replications } from '../../src/db/schema.js';
import { msg } from '../../src/i18n/message.js';
import { stagingFolder } from '../../src/replication/cycle.js';
import { scheduleDueReplications, startFailoverMonitor } from '../../src/replication/index.js';
import { vmNicNetworks } from '../../src/vsphere/index.js';
import { vmRef } from '../../src/vsphere/vm-ops.js';
import { addServer, connect, putFile, sha256 } from '../backup/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { datastoreSha, eventEnded, runEnded, vmId, vmNamed } from './support.js';

/**
 * Each test works on its own VM of the source host (`…VM<n>`) and its own replication, so that it runs alone
 * or in any order; the automatic failover test kills source hosts of its own.
 */
describe('replication and failover through the API, the job runner and simulators', () => {
  let source: Simulator;
  let dest: Simulator;
  let t: TestApp;
  let api: ReturnType<typeof apiClient>;
  let apiEn: ReturnType<typeof apiClient>;
  let ids: { source: number; dest: number };
  const disk = randomBytes(64 * 1024 * 1024);
  const refreshed = randomBytes(256 * 1024 * 1024); // the source disk's data for the refresh tests
  const vmOf = (sim: Simulator, n: number) => sim.vms.find((v) => v.endsWith(`VM${n}`)) as string;
  const ds = () => dest.datastores[0]?.name as string;

  beforeAll(async () => {
    [source, dest] = await Promise.all([
      startSimulator({ tls: true, vms: 10 }),
      startSimulator({ tls: false }),
    ]);
    t = await createTestApp(
      { AUTO_FAILOVER_THRESHOLD_SECONDS: '2', FAILOVER_MONITOR_INTERVAL_SECONDS: '0' },
      { runner: true },
    );
    const { headers } = await t.apiUser('operator');
    const request = (url: string, init: RequestInit) => Promise.resolve(t.app.request(url, init));
    api = apiClient(request, headers);
    apiEn = apiClient(request, { ...headers, 'Accept-Language': 'en' });
    ids = { source: await addServer(t.deps, source, 'source'), dest: await addServer(t.deps, dest, 'dest') };
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([source?.stop(), dest?.stop()]);
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
  /** Writes `data` as the disk of a source VM. */
  const setDisk = async (vm: string, data: Buffer) => {
    const client = await connect(source);
    await putFile(client, source, `${vm}/disk1-flat.vmdk`, data);
    await client.logout();
  };
  /** A replication of the source's `…VM<n>` (given the 64 MiB disk) replicated once. @returns its row. */
  const replicated = async (n: number): Promise<{ id: number; vm: string; replica: string }> => {
    const vm = vmOf(source, n);
    await setDisk(vm, disk);
    const created = await create({ virtual_machine: await vmId(api, ids.source, vm) });
    expect(created.status).toBe(201);
    expect(await run(created.body.id as number)).toMatchObject({ status: 'completed', progress: 100 });
    return { id: created.body.id as number, vm, replica: `${vm}_replica` };
  };

  it('answers 400 and 409 with messages to bad replications', async () => {
    const vm = await vmId(api, ids.source, vmOf(source, 7));
    const same = await create({ virtual_machine: vm, destination_server: ids.source });
    expect(same.status).toBe(400);
    expect((same.body.errors as Json).destination_server).toBeDefined();
    expect(same.body).toMatchObject({
      code: 'invalid_input',
      message: 'Le serveur de destination doit être différent du serveur source.',
    });
    expect((await create({ virtual_machine: 999_999 })).status).toBe(400);
    expect((await create({ virtual_machine: vm, destination_datastore: 'nope' })).status).toBe(400);
    const first = await create({ name: 'main', virtual_machine: vm, replication_interval_minutes: 30 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      vm_name: vmOf(source, 7),
      source_server_name: 'source',
      destination_server_name: 'dest',
    });
    expect(first.body).toMatchObject({ status: 'active', status_display: 'Active', failover_mode: 'manual' });
    const twice = await create({ virtual_machine: vm });
    expect(twice).toMatchObject({ status: 409, body: { code: 'replication_exists' } });
    expect(twice.body.message).toContain(vmOf(source, 7));
    const patched = await api.call('PATCH', `/api/vm-replications/${first.body.id}/`, {
      replication_interval_minutes: 20,
    });
    expect(patched.body).toMatchObject({ replication_interval_minutes: 20, name: 'main' });
  });

  it('replicates a VM: identical files, replica registered and off, no snapshot left', async () => {
    const r = await replicated(0);
    const d = await connect(dest);
    expect(await datastoreSha(d, dest, `${r.replica}/disk1-flat.vmdk`)).toBe(sha256(disk));
    const registered = await vmNamed(d, r.replica);
    expect(registered?.power_state).toBe('poweredOff');
    await d.logout();
    const s = await connect(source);
    expect((await vmNamed(s, r.vm))?.snapshots).toEqual([]);
    await s.logout();
    const row = (await api.call('GET', `/api/vm-replications/${r.id}/`)).body;
    expect(row).toMatchObject({ status: 'active', replica_name: r.replica, last_error: null });
    expect(row.total_replicated_size_mb as number).toBeGreaterThanOrEqual(64);
    expect(row.last_replication_at).not.toBeNull();
    expect(row.next_run_at).not.toBeNull();
  });

  it('says the replica exists on a second start, and delete-and-retry replicates again', async () => {
    const r = await replicated(1);
    const check = await api.call('GET', `/api/vm-replications/${r.id}/check_replica_exists/`);
    expect(check.body).toMatchObject({ exists: true, replica_name: r.replica });
    expect(check.body.message).toBe(`La réplique ${r.replica} existe déjà sur dest.`);
    const again = await api.call('POST', `/api/vm-replications/${r.id}/start_replication/`);
    expect(again).toMatchObject({
      status: 409,
      body: { code: 'replica_exists', replica_exists: true, replica_name: r.replica },
    });
    expect(await run(r.id, { existing_replica: 'delete' })).toMatchObject({ status: 'completed' });
    const d = await connect(dest);
    expect((await vmNamed(d, r.replica))?.power_state).toBe('poweredOff');
    await d.logout();
  });

  it('test failover leaves the source running and the replica on the isolated portgroup', async () => {
    const r = await replicated(2);
    const d = await connect(dest);
    const event = await failover(r.id, { reason: 'DR drill', test_mode: true });
    expect(event).toMatchObject({
      status: 'completed',
      failover_type: 'test',
      destination_vm_powered_on: true,
      error_code: null,
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
    expect((event.step_log as Json[]).at(-1)?.message).toBe(
      'Failover de test terminé ; la réplique tourne isolée.',
    );
    const replica = await vmNamed(d, r.replica);
    expect(replica?.power_state).toBe('poweredOn');
    const nics = await vmNicNetworks(d, vmRef(replica?.moref as string));
    expect(nics.length).toBeGreaterThan(0);
    expect(nics.every((n) => n.network === 'VM Network Isolated')).toBe(true);
    await d.logout();
    const s = await connect(source);
    expect((await vmNamed(s, r.vm))?.power_state).toBe('poweredOn');
    await s.logout();
  });

  it('keeps the last good replica whole when a refresh stops midway', async () => {
    const r = await replicated(3);
    await setDisk(r.vm, refreshed);
    const started = await api.call('POST', `/api/vm-replications/${r.id}/start_replication/`, {
      existing_replica: 'refresh',
    });
    const runId = started.body.replication_id as number;
    const progress = `/api/vm-replications/runs/${runId}/progress/`;
    await api.until(progress, (p) => (p.progress as number) >= 10 || runEnded(p));
    await api.call('POST', `/api/vm-replications/runs/${runId}/cancel/`);
    expect(await api.until(progress, runEnded)).toMatchObject({
      status: 'cancelled',
      message: 'Réplication annulée.',
    });
    const d = await connect(dest);
    expect(await datastoreSha(d, dest, `${r.replica}/disk1-flat.vmdk`)).toBe(sha256(disk));
    await expect(
      datastoreSha(d, dest, `${stagingFolder(r.replica, runId)}/disk1-flat.vmdk`),
    ).rejects.toThrow();
    await d.logout();
  });

  it('refuses to refresh a replica whose source disks changed, and leaves the replica as it was', async () => {
    const r = await replicated(4);
    const disks = async () =>
      (
        await t.deps.db
          .select({ disks: vm_replications.replicated_disks })
          .from(vm_replications)
          .where(eq(vm_replications.id, r.id))
      )[0]?.disks;
    expect(await disks()).toEqual(['disk1.vmdk']);
    // As if the replica had been made before a disk was added to the source (the simulator cannot add one).
    await t.deps.db
      .update(vm_replications)
      .set({ replicated_disks: ['disk0.vmdk'] })
      .where(eq(vm_replications.id, r.id));
    expect(await run(r.id, { existing_replica: 'refresh' })).toMatchObject({ status: 'error' });
    const row = (await api.call('GET', `/api/vm-replications/${r.id}/`)).body;
    expect(row).toMatchObject({ status: 'error', last_error_code: 'disks_changed' });
    expect(row.last_error).toContain('ont changé depuis la création de sa réplique');
    expect(row.last_error).toContain('(maintenant : disk1.vmdk ; réplique : disk0.vmdk)');
    const english = (await apiEn.call('GET', `/api/vm-replications/${r.id}/`)).body;
    expect(english.last_error).toContain(
      'changed since its replica was made (now: disk1.vmdk; replica: disk0.vmdk)',
    );
    const d = await connect(dest);
    expect(await datastoreSha(d, dest, `${r.replica}/disk1-flat.vmdk`)).toBe(sha256(disk));
    await d.logout();
  });

  it('refreshes the replica (powered off) and a manual failover powers the source off and the replica on', async () => {
    const r = await replicated(5);
    await setDisk(r.vm, refreshed);
    expect(await run(r.id, { existing_replica: 'refresh' })).toMatchObject({ status: 'completed' });
    const d = await connect(dest);
    expect(await datastoreSha(d, dest, `${r.replica}/disk1-flat.vmdk`)).toBe(sha256(refreshed));
    expect((await vmNamed(d, r.replica))?.power_state).toBe('poweredOff');
    const event = await failover(r.id, { reason: 'maintenance', test_mode: false });
    expect(event).toMatchObject({ status: 'completed', failover_type: 'manual' });
    expect(event).toMatchObject({ source_vm_powered_off: true, destination_vm_powered_on: true });
    expect((await vmNamed(d, r.replica))?.power_state).toBe('poweredOn');
    await d.logout();
    const s = await connect(source);
    expect((await vmNamed(s, r.vm))?.power_state).toBe('poweredOff');
    await s.logout();
    expect((await api.call('GET', `/api/vm-replications/${r.id}/`)).body.status).toBe('paused');
    const listed = (await api.call('GET', `/api/failover-events/?replication=${r.id}`)).body;
    expect(listed.map((e) => e.failover_type)).toEqual(['manual']);
  });

  it('asks before resuming over the replica a failover put in service', async () => {
    const r = await replicated(6);
    const event = await failover(r.id, { reason: 'maintenance', test_mode: false });
    expect(event.status).toBe('completed');
    const resume = `/api/vm-replications/${r.id}/resume/`;
    const refused = await api.call('POST', resume);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'replica_in_service', replica_in_service: true, failover_event: event.id },
    });
    expect(refused.body.message).toContain(r.replica);
    expect((await api.call('GET', `/api/vm-replications/${r.id}/`)).body.status).toBe('paused');
    const { cookie, csrf } = await t.signIn('operator');
    const form = (body: Record<string, string>) =>
      t.app.request(`/replication/${r.id}/resume`, {
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
    expect((await api.call('GET', `/api/vm-replications/${r.id}/`)).body.status).toBe('paused');
    expect((await form({ overwrite_replica: 'on' })).status).toBe(200);
    expect((await api.call('GET', `/api/vm-replications/${r.id}/`)).body.status).toBe('active');
    await api.call('POST', `/api/vm-replications/${r.id}/pause/`);
    expect(await api.call('POST', resume, { overwrite_replica: 'yes' })).toMatchObject({ status: 400 });
    expect(await api.call('POST', resume, { overwrite_replica: true })).toMatchObject({
      status: 200,
      body: { status: 'active' },
    });
  });

  it('fails over automatically once when the source host dies, and only errors in manual mode', async () => {
    // Hosts of this test only: two sources that are killed, and their destination.
    const [doomed, spare, standby] = await Promise.all([
      startSimulator({ tls: false }),
      startSimulator({ tls: false, vms: 3 }),
      startSimulator({ tls: false }),
    ]);
    let stopMonitor = () => {};
    try {
      const doomedId = await addServer(t.deps, doomed, 'doomed');
      const spareId = await addServer(t.deps, spare, 'spare');
      const to = { destination_server: await addServer(t.deps, standby, 'standby') };
      const onStandby = { ...to, destination_datastore: standby.datastores[0]?.name };
      const auto = await create({
        virtual_machine: await vmId(api, doomedId, vmOf(doomed, 1)),
        failover_mode: 'automatic',
        ...onStandby,
      });
      const manual = await create({
        virtual_machine: await vmId(api, spareId, vmOf(spare, 2)),
        failover_mode: 'manual',
        ...onStandby,
      });
      expect([auto.status, manual.status]).toEqual([201, 201]);
      expect(await run(auto.body.id as number)).toMatchObject({ status: 'completed' });
      expect(await run(manual.body.id as number)).toMatchObject({ status: 'completed' });
      stopMonitor = startFailoverMonitor(t.deps, 0.5);
      doomed.kill();
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
      expect(done.reason).toMatch(/^Failover automatique : serveur source doomed injoignable depuis/);
      const doneEn = (await apiEn.call('GET', `/api/failover-events/${event?.id}/`)).body;
      expect(doneEn.reason).toMatch(/^Automatic failover: source server doomed unreachable since/);
      const manualRow = await api.until(
        `/api/vm-replications/${manual.body.id}/`,
        (s) => s.status === 'error',
      );
      expect(manualRow).toMatchObject({ last_error_code: 'source_unreachable' });
      expect(manualRow.last_error).toMatch(/^Serveur source spare injoignable depuis .* mode manuel/);
      await new Promise((r) => setTimeout(r, 2000));
      expect(await events()).toHaveLength(1);
      expect((await api.call('GET', `/api/failover-events/?replication=${manual.body.id}`)).body).toEqual([]);
      const d = await connect(standby);
      expect((await vmNamed(d, `${vmOf(doomed, 1)}_replica`))?.power_state).toBe('poweredOn');
      await d.logout();
    } finally {
      stopMonitor();
      await Promise.all([doomed.stop(), spare.stop(), standby.stop()]);
    }
  });

  it('shows the replications and the failover history with its steps on the pages', async () => {
    const vm = vmOf(source, 8);
    const created = await create({ name: 'pages', virtual_machine: await vmId(api, ids.source, vm) });
    const id = created.body.id as number;
    await api.call('POST', `/api/vm-replications/${id}/pause/`);
    // An event without a job (the runner would run a created one).
    const [event] = await t.deps.db
      .insert(failover_events)
      .values({
        replication_id: id,
        failover_type: 'test',
        reason: 'exercice',
        step_log: [
          {
            at: new Date().toISOString(),
            step: 'initiation',
            message: msg('failover.log.checking'),
            ok: true,
          },
        ],
      })
      .returning();
    await logFailoverStep(
      t.deps.db,
      event?.id as number,
      {
        at: new Date().toISOString(),
        step: 'power_on_replica',
        message: msg('failover.log.replica_powered_on', { name: `${vm}_replica` }),
        ok: true,
      },
      { status: 'completed', completed_at: new Date(), destination_vm_powered_on: true },
    );
    const { cookie } = await t.signIn('viewer');
    const page = async (url: string) => (await t.app.request(url, { headers: { Cookie: cookie } })).text();
    const replication = await page('/replication/');
    expect(replication).toContain('data-testid="replication-row"');
    expect(replication).toContain('En pause');
    expect(replication).not.toContain('data-testid="start-replication"');
    const failover = await page('/failover');
    expect(failover).toContain('data-testid="failover-row"');
    expect(failover).toContain('Démarrage de la réplique');
    expect(failover).toContain(`${vm}_replica démarrée.`);
    expect(failover).toContain('terminé');
  });

  it('fires a due schedule once even when two schedulers claim it at the same time', async () => {
    const created = await create({ virtual_machine: await vmId(api, ids.source, vmOf(source, 9)) });
    const id = created.body.id as number;
    await t.deps.db
      .update(vm_replications)
      .set({ next_run_at: new Date(Date.now() - 1000) })
      .where(eq(vm_replications.id, id));
    const [a, b] = await Promise.all([scheduleDueReplications(t.deps), scheduleDueReplications(t.deps)]);
    expect(a.length + b.length).toBe(1);
    const next = (await api.call('GET', `/api/vm-replications/${id}/`)).body.next_run_at as string;
    expect(new Date(next).getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect((await scheduleDueReplications(t.deps)).length).toBe(0);
  });
});
