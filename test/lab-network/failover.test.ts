/**
 * @module test/lab-network/failover: test failovers on a destination host with and without the isolated
 * portgroup: the virtual lab network is created for the replica, stays while it runs, and is swept once the
 * replica is off (its adapters back on their portgroup first, see adapters.test.ts); an admin's portgroup with
 * an uplink under the default name is refused and left alone.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepLabNetworks } from '../../src/lab-network/index.js';
import {
  addPortgroup,
  listPortgroups,
  powerOff,
  removePortgroup,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import { addServer, connect, putFile } from '../backup/support.js';
import { eventEnded, runEnded, vmId } from '../replication/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ISOLATED, labSwitches, ledger, switchOf, vmState } from './support.js';

describe('the virtual lab network of test failovers', () => {
  let source: Simulator;
  let dest: Simulator;
  let t: TestApp;
  let d: VSphereClient;
  let api: ReturnType<typeof apiClient>;
  let ids: { source: number; dest: number };

  beforeAll(async () => {
    [source, dest] = await Promise.all([startSimulator({ tls: false }), startSimulator({ tls: false })]);
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

  /** Replicates the source's VM number `n` once. @returns the replication id and the replica's name. */
  const replicated = async (n: number) => {
    const vm = source.vms.find((v) => v.endsWith(`VM${n}`)) as string;
    const s = await connect(source);
    await putFile(s, source, `${vm}/disk1-flat.vmdk`, randomBytes(256 * 1024));
    await s.logout();
    const created = await api.call('POST', '/api/vm-replications/', {
      name: `lab-${n}`,
      virtual_machine: await vmId(api, ids.source, vm),
      destination_server: ids.dest,
      destination_datastore: dest.datastores[0]?.name,
    });
    expect(created.status).toBe(201);
    const started = await api.call('POST', `/api/vm-replications/${created.body.id}/start_replication/`);
    const progress = `/api/vm-replications/runs/${started.body.replication_id}/progress/`;
    expect(await api.until(progress, runEnded)).toMatchObject({ status: 'completed' });
    return { id: created.body.id as number, replica: `${vm}_replica` };
  };
  const testFailover = async (id: number) => {
    const event = await api.call('POST', `/api/vm-replications/${id}/trigger_failover/`, {
      reason: 'DR drill',
      test_mode: true,
    });
    expect(event.status).toBe(201);
    return api.until(`/api/failover-events/${event.body.id}/`, eventEnded);
  };
  const labSteps = (event: Json) =>
    (event.step_log as Json[]).filter((s) => s.step === 'lab_network').map((s) => s.message);

  it('runs the replica on a created isolated network, kept while it runs and swept once it is off', async () => {
    const r = await replicated(0);
    const event = await testFailover(r.id);
    expect(event).toMatchObject({ status: 'completed', destination_vm_powered_on: true, error_code: null });
    const replica = await vmState(d, r.replica);
    expect(replica).toMatchObject({ power: 'poweredOn', networks: [ISOLATED] });
    const sw = await switchOf(d, ISOLATED);
    expect(sw?.name).toMatch(/^ebm-lab-/);
    expect(sw).toMatchObject({ uplinks: [], bridged: false });
    expect(labSteps(event)).toEqual([
      `Réseau de test isolé créé sur dest : vSwitch « ${sw?.name} » sans liaison montante physique et portgroup « ${ISOLATED} »`,
      expect.stringMatching(
        new RegExp(`^Réseaux d’origine des cartes réseau de ${r.replica} enregistrés, .* → VM Network$`),
      ),
    ]);

    await sweepLabNetworks(t.deps);
    expect((await switchOf(d, ISOLATED))?.name).toBe(sw?.name);

    await powerOff(d, replica?.ref as NonNullable<typeof replica>['ref']);
    await sweepLabNetworks(t.deps);
    expect((await vmState(d, r.replica))?.networks).toEqual(['VM Network']);
    expect(await labSwitches(d)).toEqual([]);
    expect(await listPortgroups(d)).not.toContain(ISOLATED);
    const after = (await api.call('GET', `/api/failover-events/${event.id}/`)).body;
    expect(labSteps(after).at(-1)).toBe(
      `Réseau de test supprimé de dest : portgroup « ${ISOLATED} » et vSwitch « ${sw?.name} »`,
    );
    expect((await ledger(t.deps.db)).filter((n) => n.removed_at === null)).toEqual([]);
  });

  it('refuses the default portgroup on a switch with an uplink and leaves it, the replica off', async () => {
    const r = await replicated(1);
    await addPortgroup(d, { name: ISOLATED });
    try {
      const event = await testFailover(r.id);
      expect(event).toMatchObject({
        status: 'failed',
        error_code: 'lab_network_not_isolated',
        destination_vm_powered_on: false,
      });
      expect(event.error_message).toContain('son vSwitch « vSwitch0 » est relié au réseau physique (vmnic0)');
      expect((await vmState(d, r.replica))?.power).toBe('poweredOff');
      expect((await switchOf(d, ISOLATED))?.name).toBe('vSwitch0');
      expect(await labSwitches(d)).toEqual([]);
    } finally {
      await removePortgroup(d, ISOLATED);
    }
  });
});
