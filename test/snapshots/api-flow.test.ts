/**
 * Snapshots through the API, with a job runner, on a simulated host: the tree as the host tells it, a create,
 * a revert (a running VM reverted to a snapshot without memory ends powered off) and a delete, each seen on
 * the host; malformed and unknown snapshot ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVirtualMachine, listVirtualMachines } from '../../src/db/inventory.js';
import {
  asString,
  createSnapshot,
  readSnapshotTree,
  retrieveOne,
  type VSphereClient,
  vmRef,
} from '../../src/vsphere/index.js';
import { addServer, connect } from '../backup/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('a VM’s snapshots through the API', () => {
  let sim: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let api: ReturnType<typeof apiClient>;
  let vmId = 0;
  let moref = '';

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 1 });
    t = await createTestApp({}, { runner: true });
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: await addServer(t.deps, sim, 'esx') }))
      .rows[0]?.vm;
    vmId = vm?.id ?? 0;
    moref = vm?.moref ?? '';
    client = await connect(sim);
    const { headers } = await t.apiUser('operator');
    api = apiClient(async (url, init) => t.app.request(url, init), { ...headers, 'Accept-Language': 'en' });
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    await sim?.stop();
  });

  const done = (op: Json) =>
    api.until(`/api/operations/${op.id}/`, (s) =>
      ['COMPLETED', 'FAILED', 'CANCELLED'].includes(String(s.status)),
    );
  const hostTree = async () => (await readSnapshotTree(client, vmRef(moref))).snapshots;

  it('creates, reverts to and deletes snapshots, as the host then shows', async () => {
    const base = `/api/virtual-machines/${vmId}/snapshots/`;
    expect((await api.call('GET', base)).body).toEqual({
      virtual_machine: vmId,
      current_snapshot: null,
      snapshots: [],
    });

    const first = await api.call('POST', base, { name: 'before upgrade', description: 'clean state' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ type: 'snapshot_create', status: 'PENDING', cancellable: true });
    expect(await done(first.body)).toMatchObject({ status: 'COMPLETED', step: 'Done' });
    const second = await api.call('POST', base, { name: 'with memory', memory: true });
    expect(await done(second.body)).toMatchObject({ status: 'COMPLETED' });

    const onHost = await hostTree();
    expect(onHost.map((s) => [s.name, s.description, s.depth, s.state])).toEqual([
      ['before upgrade', 'clean state', 0, 'poweredOff'],
      ['with memory', '', 1, 'poweredOn'],
    ]);
    const tree = (await api.call('GET', base)).body as unknown as {
      current_snapshot: string;
      snapshots: Array<Record<string, unknown>>;
    };
    expect(tree.current_snapshot).toBe(onHost[1]?.moref);
    expect(tree.snapshots.map((s) => [s.name, s.parent, s.is_current, s.is_backup, s.schedule])).toEqual([
      ['before upgrade', null, false, false, null],
      ['with memory', onHost[0]?.moref, true, false, null],
    ]);
    for (const s of tree.snapshots) expect(typeof s.size_bytes).toBe('number');
    expect((await getVirtualMachine(t.deps.db, vmId))?.vm.snapshots.map((s) => s.name)).toEqual([
      'before upgrade',
      'with memory',
    ]);

    const revert = await api.call('POST', `${base}${onHost[0]?.moref}/revert/`);
    expect(revert.status).toBe(202);
    expect(revert.body).toMatchObject({ type: 'snapshot_revert', cancellable: false });
    expect(await done(revert.body)).toMatchObject({ status: 'COMPLETED' });
    const power = await retrieveOne(client, vmRef(moref), ['runtime.powerState', 'snapshot.currentSnapshot']);
    expect(asString(power['runtime.powerState'])).toBe('poweredOff');
    expect((power['snapshot.currentSnapshot'] as { value: string }).value).toBe(onHost[0]?.moref);
    expect((await getVirtualMachine(t.deps.db, vmId))?.vm.power_state).toBe('poweredOff');

    const removal = await api.call('DELETE', `${base}${onHost[1]?.moref}/`);
    expect(removal.status).toBe(202);
    expect(await done(removal.body)).toMatchObject({ status: 'COMPLETED' });
    expect((await hostTree()).map((s) => s.name)).toEqual(['before upgrade']);
    expect(((await api.call('GET', base)).body.snapshots as unknown[]).length).toBe(1);
  });

  it('shows a viewer the tree without the create form or the row actions, and refuses a viewer’s change', async () => {
    await createSnapshot(client, vmRef(moref), { name: 'seen by a viewer' });
    const { cookie } = await t.signIn('viewer');
    const html = await (
      await t.app.request(`/virtual-machines/${vmId}/snapshots`, { headers: { Cookie: cookie } })
    ).text();
    expect(html).toContain('seen by a viewer');
    expect(html).not.toContain('snapshot-create-form');
    expect(html).not.toContain('snapshot-revert');
    const viewer = (await t.apiUser('viewer')).headers;
    const res = await t.app.request(`/api/virtual-machines/${vmId}/snapshots/`, {
      method: 'POST',
      headers: viewer,
      body: JSON.stringify({ name: 'nope' }),
    });
    expect(res.status).toBe(403);
  });

  it('answers 400 to a malformed snapshot id and 404 to one the VM does not have', async () => {
    const base = `/api/virtual-machines/${vmId}/snapshots/`;
    const bad = await api.call('DELETE', `${base}${encodeURIComponent("x' OR 1=1")}/`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('snapshot');
    const unknown = await api.call('POST', `${base}snapshot-999999/revert/`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('snapshot-999999');
    expect((await api.call('POST', base, { name: '' })).body.errors).toHaveProperty('name');
    expect((await api.call('GET', '/api/virtual-machines/999999/snapshots/')).status).toBe(404);
  });
});
