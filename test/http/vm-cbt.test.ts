/** A VM's page: its Changed Block Tracking section, turned on and off on the host by operators. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVirtualMachine, listVirtualMachines } from '../../src/db/inventory.js';
import { asBool, retrieveOne, type VSphereClient, vmRef } from '../../src/vsphere/index.js';
import { addServer, connect } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('the CBT section of a VM page', () => {
  let sim: Simulator;
  let free: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let vmId = 0;
  let freeVmId = 0;
  let moref = '';

  beforeAll(async () => {
    [sim, free] = await Promise.all([
      startSimulator({ tls: false, vms: 1 }),
      startSimulator({ tls: false, vms: 1, freeLicense: true }),
    ]);
    t = await createTestApp();
    const first = (await listVirtualMachines(t.deps.db, { esxi_server: await addServer(t.deps, sim, 'esx') }))
      .rows[0]?.vm;
    vmId = first?.id ?? 0;
    moref = first?.moref ?? '';
    const second = await addServer(t.deps, free, 'free');
    freeVmId = (await listVirtualMachines(t.deps.db, { esxi_server: second })).rows[0]?.vm.id ?? 0;
    client = await connect(sim);
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    await Promise.all([sim?.stop(), free?.stop()]);
  });

  const session = async (role: 'operator' | 'viewer') => {
    const { cookie, csrf } = await t.signIn(role);
    return {
      Cookie: cookie,
      'X-CSRF-Token': csrf,
      'HX-Request': 'true',
      'Accept-Language': 'en',
      Origin: 'http://localhost',
    };
  };
  const post = async (id: number, verb: string, headers: Record<string, string>) =>
    t.app.request(`/virtual-machines/${id}/change-tracking/${verb}`, { method: 'POST', headers });

  it('shows CBT off, and an operator turns it on and off again, on the host too', async () => {
    const headers = await session('operator');
    const page = await (await t.app.request(`/virtual-machines/${vmId}`, { headers })).text();
    expect(page).toContain('data-testid="cbt-state"');
    expect(page).toContain('CBT off');
    expect(page).toContain(`hx-post="/virtual-machines/${vmId}/change-tracking/enable"`);

    const on = await post(vmId, 'enable', headers);
    expect(on.status).toBe(200);
    const section = await on.text();
    expect(section).toContain('CBT on');
    expect(section).toContain('CBT turned on: it takes effect at the next backup.');
    expect(section).toContain(`/change-tracking/disable`);
    expect((await getVirtualMachine(t.deps.db, vmId))?.vm.change_tracking_enabled).toBe(true);
    const props = await retrieveOne(client, vmRef(moref), ['config.changeTrackingEnabled']);
    expect(asBool(props['config.changeTrackingEnabled'])).toBe(true);

    const off = await (await post(vmId, 'disable', headers)).text();
    expect(off).toContain('CBT off');
    expect((await getVirtualMachine(t.deps.db, vmId))?.vm.change_tracking_enabled).toBe(false);
  });

  it('offers no button to a viewer and refuses the change', async () => {
    const headers = await session('viewer');
    const page = await (await t.app.request(`/virtual-machines/${vmId}`, { headers })).text();
    expect(page).toContain('CBT off');
    expect(page).not.toContain('data-testid="cbt-toggle"');
    expect((await post(vmId, 'enable', headers)).status).toBe(403);
  });

  it('shows the host’s refusal in place', async () => {
    const res = await post(freeVmId, 'enable', await session('operator'));
    expect(res.status).toBe(200);
    const section = await res.text();
    expect(section).toContain('data-testid="cbt-error"');
    expect(section).toContain('CBT off');
    expect((await getVirtualMachine(t.deps.db, freeVmId))?.vm.change_tracking_enabled).toBe(false);
  });
});
