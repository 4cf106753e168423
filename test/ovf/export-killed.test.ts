/**
 * An export whose worker process is SIGKILLed mid-export: once its lease expires another runner fails it as
 * interrupted and its cleanup removes the partial folder; no package is listed.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmBackupJob } from '../../src/backup/index.js';
import { createBackupJob } from '../../src/db/backups.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { getJob } from '../../src/db/jobs.js';
import { createOvfExport, getOvfExport, listOvfExports } from '../../src/db/ovf-exports.js';
import { type JobRunner, startJobRunner } from '../../src/jobs/runner.js';
import { INTERRUPTED_MESSAGE } from '../../src/jobs/types.js';
import { ovfExportJob } from '../../src/ovf/export-job.js';
import { partialDir } from '../../src/ovf/package-dir.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs, runJob } from '../backup/support.js';
import { fastOptions, waitFor } from '../jobs/helpers.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const WORKER = path.join(import.meta.dirname, 'fixtures', 'export-worker.ts');
const VM = 'ha-host_VM0';

describe('an OVF export whose worker is killed', () => {
  let sim: Simulator;
  let t: TestApp;
  let child: ChildProcess | undefined;
  let survivor: JobRunner | undefined;
  let backupId: number;

  beforeAll(async () => {
    [sim, t] = await Promise.all([startSimulator({ tls: true }), createTestApp()]);
    const client = await connect(sim);
    await putFile(client, sim, `${VM}/disk1-flat.vmdk`, randomBytes(64 << 20));
    await putFile(
      client,
      sim,
      `${VM}/disk1.vmdk`,
      '# Disk DescriptorFile\nRW 131072 VMFS "disk1-flat.vmdk"\n',
    );
    await client.logout();
    const serverId = await addServer(t.deps, sim, 'source');
    await addStoragePath(t.deps);
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows.find(
      (r) => r.vm.name === VM,
    );
    const backup = await createBackupJob(t.deps.db, { virtual_machine_id: vm?.vm.id ?? 0 });
    expect((await runJob(vmBackupJob, t.deps, backup.job_id)).job.error).toBeNull();
    backupId = backup.id;
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await survivor?.stop();
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  it('is failed as interrupted, its partial folder removed, no package listed', async () => {
    const row = await createOvfExport(t.deps.db, { vm_backup_id: backupId, format: 'ova' });
    const marker = path.join(tmpdir(), `ebm-ovf-marker-${process.pid}-${row.id}`);
    child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DATABASE_URL: t.database.url, MARKER: marker },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await waitFor(async () => existsSync(marker), 60_000, 'the export to be a fifth done');
    expect(readdirSync(partialDir(row))).toContain(`${VM}-disk1.vmdk`);
    child.kill('SIGKILL');
    rmSync(marker);

    survivor = startJobRunner(t.deps, { ovf_export: ovfExportJob }, fastOptions({ leaseSeconds: 2 }));
    await waitFor(async () => (await getJob(t.deps.db, row.job_id))?.status === 'FAILED', 15_000, 'FAILED');
    expect((await getJob(t.deps.db, row.job_id))?.error).toBe(INTERRUPTED_MESSAGE);
    await waitFor(async () => !existsSync(partialDir(row)), 5000, 'the partial folder removed');
    expect(existsSync(row.export_dir)).toBe(false);
    expect((await getOvfExport(t.deps.db, row.id)).package_path).toBeNull();
    expect((await listOvfExports(t.deps.db, { status: 'COMPLETED' })).rows).toEqual([]);
  }, 120_000);
});
