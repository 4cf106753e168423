/**
 * A VM whose host cannot be reached: the VM page's Snapshots section says so in place (no error page), the
 * API answers the host's error (502 `Unreachable`), and nothing is queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { jobs } from '../../src/db/schema.js';
import { addServer } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('snapshots of a VM whose host is down', () => {
  let sim: Simulator;
  let t: TestApp;
  let vmId = 0;

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 1 });
    t = await createTestApp({ VSPHERE_TIMEOUT_SECONDS: '2' });
    vmId =
      (await listVirtualMachines(t.deps.db, { esxi_server: await addServer(t.deps, sim, 'esx') })).rows[0]?.vm
        .id ?? 0;
    await sim.stop();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('says in place that the tree cannot be read, and the API answers 502', async () => {
    const { cookie } = await t.signIn('operator');
    const res = await t.app.request(`/virtual-machines/${vmId}/snapshots`, {
      headers: { Cookie: cookie, 'HX-Request': 'true', 'Accept-Language': 'en' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="snapshots-error"');
    expect(html).toContain('Cannot read the snapshot tree');

    const { headers } = await t.apiUser('operator');
    const api = await t.app.request(`/api/virtual-machines/${vmId}/snapshots/`, { headers });
    expect(api.status).toBe(502);
    expect(await api.json()).toMatchObject({ code: 'Unreachable' });
    const revert = await t.app.request(`/api/virtual-machines/${vmId}/snapshots/snapshot-1/revert/`, {
      method: 'POST',
      headers,
    });
    expect(revert.status).toBe(502);
    expect(await t.deps.db.select().from(jobs)).toEqual([]);
  });
});
