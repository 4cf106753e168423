/**
 * Cancelling a snapshot creation while the host's task runs (a simulator whose CreateSnapshot_Task takes 3 s):
 * the app asks the host to cancel it (CancelTask), the operation ends CANCELLED and the host has no snapshot
 * (had the host refused, the task would have ended well and the operation COMPLETED).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { jobs } from '../../src/db/schema.js';
import { readSnapshotTree, type VSphereClient, vmRef } from '../../src/vsphere/index.js';
import { addServer, connect } from '../backup/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('cancelling a snapshot creation', () => {
  let sim: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let api: ReturnType<typeof apiClient>;
  let vm = { id: 0, moref: '' };

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 1, snapshotCreateMs: 3000 });
    t = await createTestApp({}, { runner: true });
    const row = (await listVirtualMachines(t.deps.db, { esxi_server: await addServer(t.deps, sim, 'esx') }))
      .rows[0]?.vm;
    vm = { id: row?.id ?? 0, moref: row?.moref ?? '' };
    client = await connect(sim);
    const { headers } = await t.apiUser('operator');
    api = apiClient(async (url, init) => t.app.request(url, init), { ...headers, 'Accept-Language': 'en' });
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    await sim?.stop();
  });

  it('cancels the host task: CANCELLED, and no snapshot on the host', async () => {
    const op = (await api.call('POST', `/api/virtual-machines/${vm.id}/snapshots/`, { name: 'too slow' }))
      .body;
    await api.until(
      `/api/operations/${op.id}/`,
      (s) => typeof (s as Json).step === 'string' && String(s.step).startsWith('Creating'),
    );
    await expect
      .poll(
        async () =>
          (
            await t.deps.db
              .select()
              .from(jobs)
              .where(eq(jobs.id, op.id as number))
          )[0]?.payload.task,
      )
      .toBeTruthy();
    const cancel = await api.call('POST', `/api/operations/${op.id}/cancel/`);
    expect(cancel.status).toBe(202);
    const end = await api.until(
      `/api/operations/${op.id}/`,
      (s) => s.status !== 'IN_PROGRESS' && s.status !== 'PENDING',
    );
    expect(end.status).toBe('CANCELLED');
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect((await readSnapshotTree(client, vmRef(vm.moref))).snapshots).toEqual([]);
  });
});
