/**
 * A host export whose worker process is SIGKILLed mid-download: once its job lease expires another runner fails
 * it as interrupted, and its cleanup connects to the host, aborts the HttpNfcLease the row recorded and removes
 * the partial folder; no package is listed.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { getJob } from '../../src/db/jobs.js';
import { createOvfExport, getOvfExport, listOvfExports } from '../../src/db/ovf-exports.js';
import { syncInventory } from '../../src/inventory/sync.js';
import { type JobRunner, startJobRunner } from '../../src/jobs/runner.js';
import { INTERRUPTED_MESSAGE } from '../../src/jobs/types.js';
import { ovfExportJob } from '../../src/ovf/export-job.js';
import { partialDir } from '../../src/ovf/package-dir.js';
import { powerOff, vmRef } from '../../src/vsphere/index.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs } from '../backup/support.js';
import { fastOptions, waitFor } from '../jobs/helpers.js';
import { nfcLeases } from '../support/nfc-leases.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const WORKER = path.join(import.meta.dirname, 'fixtures', 'export-worker.ts');
const VM = 'ha-host_VM0';

describe('a host export whose worker is killed', () => {
  let sim: Simulator;
  let t: TestApp;
  let child: ChildProcess | undefined;
  let survivor: JobRunner | undefined;
  let vmId: number;

  beforeAll(async () => {
    [sim, t] = await Promise.all([
      startSimulator({ tls: true, diskMib: 64, nfcRateMib: 16 }),
      createTestApp(),
    ]);
    const serverId = await addServer(t.deps, sim, 'source');
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows.find(
      (r) => r.vm.name === VM,
    );
    vmId = vm?.vm.id ?? 0;
    const client = await connect(sim);
    await putFile(client, sim, `${VM}/disk1-flat.vmdk`, randomBytes(64 << 20));
    await powerOff(client, vmRef(vm?.vm.moref ?? ''));
    await client.logout();
    await syncInventory(t.deps, serverId);
    await addStoragePath(t.deps);
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await survivor?.stop();
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  it('is failed as interrupted, its lease aborted, its partial folder removed, no package listed', async () => {
    const row = await createOvfExport(t.deps.db, { virtual_machine_id: vmId, format: 'ovf' });
    const marker = path.join(tmpdir(), `ebm-ovf-host-marker-${process.pid}-${row.id}`);
    child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DATABASE_URL: t.database.url, MARKER: marker },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await waitFor(async () => existsSync(marker), 60_000, 'the export to be a fifth done');
    expect(readdirSync(partialDir(row))).toContain(`${VM}-disk1.vmdk`);
    const open = (await getOvfExport(t.deps.db, row.id)).nfc_lease;
    expect((await nfcLeases(sim)).find((l) => l.lease === open)?.state).toBe('ready');
    child.kill('SIGKILL');
    rmSync(marker);

    survivor = startJobRunner(t.deps, { ovf_export: ovfExportJob }, fastOptions({ leaseSeconds: 2 }));
    await waitFor(async () => (await getJob(t.deps.db, row.job_id))?.status === 'FAILED', 15_000, 'FAILED');
    expect((await getJob(t.deps.db, row.job_id))?.error).toBe(INTERRUPTED_MESSAGE);
    await waitFor(
      async () => (await getOvfExport(t.deps.db, row.id)).nfc_lease === null,
      10_000,
      'lease cleared',
    );
    const lease = (await nfcLeases(sim)).find((l) => l.lease === open);
    expect(lease?.state).toBe('error');
    expect(lease?.error).toContain('aborted');
    expect(existsSync(partialDir(row))).toBe(false);
    expect(existsSync(row.export_dir)).toBe(false);
    expect((await getOvfExport(t.deps.db, row.id)).package_path).toBeNull();
    expect((await listOvfExports(t.deps.db, { status: 'COMPLETED' })).rows).toEqual([]);
  }, 120_000);
});
