/**
 * @module test/lab-network/adapters: a test failover's replica gets its network adapters back on their own
 * portgroup once the test is over (replica powered off: sweep, or the job's release as after a rollback or an
 * interrupted job), before the lab network is removed, also from an admin's isolated portgroup; a real
 * failover then starts the replica on the production network, puts back first what a test left isolated, and
 * warns when nothing was recorded.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failover_events, lab_nic_moves } from '../../src/db/schema.js';
import { releaseLabNetworks, sweepLabNetworks } from '../../src/lab-network/index.js';
import {
  addPortgroup,
  addVirtualSwitch,
  connectNicsToPortgroup,
  listPortgroups,
  powerOff,
  removePortgroup,
  removeVirtualSwitch,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import { addServer, connect, putFile } from '../backup/support.js';
import { eventEnded, runEnded, vmId } from '../replication/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ISOLATED, labSwitches, switchOf, vmState } from './support.js';

describe('the adapters of a test failover replica', () => {
  let source: Simulator;
  let dest: Simulator;
  let t: TestApp;
  let d: VSphereClient;
  let api: ReturnType<typeof apiClient>;
  let ids: { source: number; dest: number };

  beforeAll(async () => {
    [source, dest] = await Promise.all([
      startSimulator({ tls: false, vms: 6 }),
      startSimulator({ tls: false }),
    ]);
    t = await createTestApp({ FAILOVER_MONITOR_INTERVAL_SECONDS: '0' }, { runner: true });
    const { headers } = await t.apiUser('operator');
    api = apiClient((url, init) => Promise.resolve(t.app.request(url, init)), headers);
    ids = { source: await addServer(t.deps, source, 'source'), dest: await addServer(t.deps, dest, 'dest') };
    d = await connect(dest);
  });
  afterAll(async () => {
    await d?.logout();
    await t?.close();
    await Promise.all([source?.stop(), dest?.stop()]);
  });

  /**
   * Replicates the source's VM number `n` once and connects its replica to a production portgroup of its own
   * (`Prod <n>`, on vSwitch0). @returns the replication id, the replica's name and that portgroup.
   */
  const replicated = async (n: number) => {
    const vm = source.vms.find((v) => v.endsWith(`VM${n}`)) as string;
    const s = await connect(source);
    await putFile(s, source, `${vm}/disk1-flat.vmdk`, randomBytes(256 * 1024));
    await s.logout();
    const created = await api.call('POST', '/api/vm-replications/', {
      name: `adapters-${n}`,
      virtual_machine: await vmId(api, ids.source, vm),
      destination_server: ids.dest,
      destination_datastore: dest.datastores[0]?.name,
    });
    expect(created.status).toBe(201);
    const started = await api.call('POST', `/api/vm-replications/${created.body.id}/start_replication/`);
    const progress = `/api/vm-replications/runs/${started.body.replication_id}/progress/`;
    expect(await api.until(progress, runEnded)).toMatchObject({ status: 'completed' });
    const replica = `${vm}_replica`;
    const prod = `Prod ${n}`;
    await addPortgroup(d, { name: prod });
    const state = await vmState(d, replica);
    expect(await connectNicsToPortgroup(d, state?.ref as NonNullable<typeof state>['ref'], prod)).toBe(1);
    return { id: created.body.id as number, replica, prod };
  };
  const failover = async (id: number, test: boolean) => {
    const event = await api.call('POST', `/api/vm-replications/${id}/trigger_failover/`, {
      reason: test ? 'DR drill' : 'site down',
      test_mode: test,
    });
    expect(event.status).toBe(201);
    return api.until(`/api/failover-events/${event.body.id}/`, eventEnded);
  };
  const eventNow = async (id: unknown) => (await api.call('GET', `/api/failover-events/${id}/`)).body;
  const messages = (event: Json, step: string) =>
    (event.step_log as Json[]).filter((s) => s.step === step).map((s) => s.message as string);
  const moves = (vm: string) => t.deps.db.select().from(lab_nic_moves).where(eq(lab_nic_moves.vm_name, vm));
  const restored = (vm: string, prod: string) =>
    `1 carte(s) réseau de ${vm} reconnectée(s) à leur réseau d’origine : ${label} → ${prod}`;
  let label = '';
  /** Runs a test failover: the replica runs on the isolated portgroup, its original one recorded. */
  const tested = async (r: { id: number; replica: string; prod: string }) => {
    const event = await failover(r.id, true);
    expect(event).toMatchObject({ status: 'completed', failover_type: 'test', error_code: null });
    const running = await vmState(d, r.replica);
    expect(running).toMatchObject({ power: 'poweredOn', networks: [ISOLATED] });
    const [record] = await moves(r.replica);
    expect(record).toMatchObject({ closed_at: null, test_portgroup: ISOLATED, vm_moref: running?.ref.value });
    expect(record?.original_nics).toEqual([
      expect.objectContaining({ key: expect.any(Number), network: r.prod }),
    ]);
    label = record?.original_nics[0]?.label ?? '';
    expect(messages(event, 'lab_network')).toContain(
      `Réseaux d’origine des cartes réseau de ${r.replica} enregistrés, pour les y reconnecter après le test : ${label} → ${r.prod}`,
    );
    return { event, ref: running?.ref as NonNullable<typeof running>['ref'] };
  };

  it('goes back to its own portgroup once the replica is off, before the lab network goes; a real failover then starts it there, and no test moves it any more', async () => {
    const r = await replicated(0);
    const { event, ref } = await tested(r);

    await sweepLabNetworks(t.deps);
    expect((await vmState(d, r.replica))?.networks).toEqual([ISOLATED]);
    expect(await labSwitches(d)).toHaveLength(1);

    await powerOff(d, ref);
    await sweepLabNetworks(t.deps);
    expect(await vmState(d, r.replica)).toMatchObject({ power: 'poweredOff', networks: [r.prod] });
    expect(await labSwitches(d)).toEqual([]);
    expect(await listPortgroups(d)).not.toContain(ISOLATED);
    const lab = messages(await eventNow(event.id), 'lab_network');
    const back = lab.indexOf(restored(r.replica, r.prod));
    expect(back).toBeGreaterThan(-1);
    expect(lab.findIndex((m) => m.startsWith('Réseau de test supprimé de dest'))).toBeGreaterThan(back);
    expect((await moves(r.replica))[0]?.closed_at).not.toBeNull();

    const real = await failover(r.id, false);
    expect(real).toMatchObject({
      status: 'completed',
      failover_type: 'manual',
      destination_vm_powered_on: true,
    });
    expect(await vmState(d, r.replica)).toMatchObject({ power: 'poweredOn', networks: [r.prod] });
    expect((real.step_log as Json[]).every((s) => s.ok)).toBe(true);

    // the replica is in service now: a test failover must not cut it off its network
    const refused = await failover(r.id, true);
    expect(refused).toMatchObject({ status: 'failed', error_code: 'replica_running' });
    expect(await vmState(d, r.replica)).toMatchObject({ power: 'poweredOn', networks: [r.prod] });
    expect(await labSwitches(d)).toEqual([]);
  });

  it('goes back when the test job releases its network (rollback, interrupted job), the replica off', async () => {
    const r = await replicated(1);
    const { event, ref } = await tested(r);
    await powerOff(d, ref);
    const [row] = await t.deps.db
      .select({ job: failover_events.job_id })
      .from(failover_events)
      .where(eq(failover_events.id, event.id as number));
    await releaseLabNetworks(t.deps, { jobId: row?.job as number });
    expect(await vmState(d, r.replica)).toMatchObject({ networks: [r.prod] });
    expect(await labSwitches(d)).toEqual([]);
    expect(messages(await eventNow(event.id), 'lab_network')).toContain(restored(r.replica, r.prod));
  });

  it('is put back by a real failover when the test network is still there, and the network goes after', async () => {
    const r = await replicated(2);
    const { ref } = await tested(r);
    await powerOff(d, ref);

    const real = await failover(r.id, false);
    expect(real).toMatchObject({ status: 'completed', destination_vm_powered_on: true });
    expect(await vmState(d, r.replica)).toMatchObject({ power: 'poweredOn', networks: [r.prod] });
    const steps = (real.step_log as Json[]).filter((s) => s.step === 'power_on_replica');
    expect(steps.map((s) => s.message)).toEqual([restored(r.replica, r.prod), `${r.replica} démarrée.`]);
    expect((await moves(r.replica)).every((m) => m.closed_at !== null)).toBe(true);

    await sweepLabNetworks(t.deps);
    expect(await labSwitches(d)).toEqual([]);
    expect(await vmState(d, r.replica)).toMatchObject({ power: 'poweredOn', networks: [r.prod] });
  });

  it('keeps the original portgroup when a second test starts while the first replica still runs isolated', async () => {
    const r = await replicated(4);
    const first = await tested(r);
    const again = await failover(r.id, true);
    expect(again).toMatchObject({ status: 'completed', failover_type: 'test' });
    const records = await moves(r.replica);
    expect(records.filter((m) => m.closed_at === null).map((m) => m.owner_id)).toEqual([again.id]);
    expect(records.at(-1)?.original_nics.map((n) => n.network)).toEqual([r.prod]);

    await powerOff(d, first.ref);
    await sweepLabNetworks(t.deps);
    expect(await vmState(d, r.replica)).toMatchObject({ networks: [r.prod] });
    expect(await labSwitches(d)).toEqual([]);
    expect(messages(await eventNow(again.id), 'lab_network')).toContain(restored(r.replica, r.prod));
  });

  it('goes back from an isolated portgroup the admin made, which is left in place', async () => {
    const r = await replicated(5);
    await addVirtualSwitch(d, { name: 'vSwitchTest' });
    await addPortgroup(d, { name: ISOLATED, vswitch: 'vSwitchTest' });
    try {
      const { ref } = await tested(r);
      await powerOff(d, ref);
      await sweepLabNetworks(t.deps);
      expect(await vmState(d, r.replica)).toMatchObject({ networks: [r.prod] });
      expect((await switchOf(d, ISOLATED))?.name).toBe('vSwitchTest');
    } finally {
      await removePortgroup(d, ISOLATED);
      await removeVirtualSwitch(d, 'vSwitchTest');
    }
  });

  it('warns in a real failover about an adapter on a missing portgroup with nothing recorded, and fails over', async () => {
    const r = await replicated(3);
    const gone = 'Gone 3';
    await addPortgroup(d, { name: gone });
    const state = await vmState(d, r.replica);
    await connectNicsToPortgroup(d, state?.ref as NonNullable<typeof state>['ref'], gone);
    await removePortgroup(d, gone);

    const real = await failover(r.id, false);
    expect(real).toMatchObject({ status: 'completed', destination_vm_powered_on: true });
    expect((await vmState(d, r.replica))?.power).toBe('poweredOn');
    const warning = (real.step_log as Json[]).find((s) => s.step === 'power_on_replica' && !s.ok);
    expect(warning?.message).toMatch(
      new RegExp(
        `^Attention : la carte « .+ » de ${r.replica} est sur « ${gone} » \\(portgroup absent de dest\\) et son réseau d’origine n’est pas connu : la réplique démarre coupée du réseau de production`,
      ),
    );
  });
});
