/**
 * @module test/surebackup/ovf-export: a SureBackup verification from an OVF export (seed 002
 * BackupVerification.ovf_export), through the API and the real job runner on a simulated host: the package is
 * imported on the test host into a lab network the run makes, booted, checked, and everything is removed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup_verifications, jobs, lab_networks, verification_schedules } from '../../src/db/schema.js';
import { verificationJob } from '../../src/surebackup/job.js';
import { runSchedulerPass } from '../../src/surebackup/scheduler.js';
import {
  fetchInventory,
  listPortgroups,
  type MoRef,
  retrieveAll,
  retrieveOne,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import { createImportSpec, importVApp } from '../../src/vsphere/ovf-import.js';
import { findPlacement } from '../../src/vsphere/placement.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs } from '../backup/support.js';
import { launchBrowser } from '../support/browser.js';
import { signedInPage } from '../support/signed-in-page.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, unknown>;
const LAB = 'SureBackup OVF lab';

describe('SureBackup verification from an OVF export', () => {
  let esx: Simulator;
  let t: TestApp;
  let headers: Record<string, string>;
  let client: VSphereClient;
  let serverId: number;
  let exportId: number;

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await t.app.request(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Json & Json[] };
  };
  const until = async (url: string, done: (s: Json) => boolean, timeout = 60_000) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const state = (await call('GET', url)).body;
      if (done(state) || Date.now() > deadline) return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    esx = await startSimulator({ tls: false });
    client = await connect(esx);
    await putFile(client, esx, `${esx.vms[0]}/disk1-flat.vmdk`, randomBytes(1024 * 1024));
    t = await createTestApp(
      { VERIFICATION_NO_TOOLS_GRACE_SECONDS: '1', VERIFICATION_CHECK_TIMEOUT_SECONDS: '1' },
      { runner: true },
    );
    headers = (await t.apiUser('operator')).headers;
    serverId = await addServer(t.deps, esx, 'esx');
    const storage = await addStoragePath(t.deps);
    const vm = (await call('GET', `/api/virtual-machines/?search=${esx.vms[0]}`)).body[0] as Json;
    const backup = await call('POST', '/api/vm-backups/', {
      virtual_machine: vm.id,
      storage_path: storage.id,
    });
    await until(`/api/vm-backups/${backup.body.id}/`, (s) => s.status === 'COMPLETED');
    const exp = await call('POST', '/api/ovf-exports/', { vm_backup: backup.body.id, format: 'ova' });
    const done = await until(`/api/ovf-exports/${exp.body.id}/`, (s) => s.status === 'COMPLETED');
    expect(done.status).toBe('COMPLETED');
    exportId = exp.body.id as number;
  }, 120_000);
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    await esx?.stop();
    removeStorageDirs();
  });

  it('imports the export into a lab network, boots it, passes and leaves no VM and no lab network', async () => {
    const created = await call('POST', '/api/backup-verifications/', {
      ovf_export: exportId,
      esxi_server: serverId,
      test_type: 'boot',
      test_network: LAB,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ovf_export: exportId,
      vm_backup: null,
      status: 'pending',
      backup_name: esx.vms[0],
    });
    const done = await until(
      `/api/backup-verifications/${created.body.id}/`,
      (s) => !['pending', 'running'].includes(s.status as string),
    );
    expect(done).toMatchObject({
      status: 'passed',
      vm_restored: true,
      vm_booted: true,
      vm_cleanup_done: true,
    });
    expect(done.test_vm_name).toBe(`surebackup-${esx.vms[0]}-${created.body.id}`);
    expect(done.detailed_log).toContain(`Import de l’export OVF ${exportId}`);
    expect((await fetchInventory(client)).vms.map((v) => v.name)).not.toContain(done.test_vm_name);
    expect(existsSync(path.join(esx.datastores[0]?.path as string, done.test_vm_name as string))).toBe(false);
    expect(await listPortgroups(client)).not.toContain(LAB);
    const labs = await t.deps.db.select().from(lab_networks).where(eq(lab_networks.portgroup_name, LAB));
    expect(labs.map((l) => l.state)).toEqual(['removed']);

    const listed = await call('GET', `/api/backup-verifications/?ovf_export=${exportId}`);
    expect(listed.body.map((v) => v.id)).toEqual([created.body.id]);
  }, 120_000);

  it('refuses an export that is not complete, naming the field', async () => {
    const missing = await call('POST', '/api/backup-verifications/', {
      ovf_export: 999_999,
      esxi_server: serverId,
    });
    expect(missing).toMatchObject({ status: 400, body: { errors: { ovf_export: [expect.any(String)] } } });
  });

  it('is started from the Verify now dialog of the SureBackup page, the export chosen as the source', async () => {
    const browser = await launchBrowser();
    const served = await signedInPage(t, browser, 'operator');
    try {
      const { page, url } = served;
      await page.goto(`${url}/surebackup/`);
      await page.getByTestId('verify-now').click();
      const dialog = page.getByTestId('verify-dialog');
      await dialog.locator('select[name=source]').selectOption(`ovf_export:${exportId}`);
      await dialog.locator('input[name=test_network]').fill(LAB);
      await page.getByTestId('verify-submit').click();
      await expect.poll(() => dialog.count()).toBe(0);
      const listed = async () =>
        (await call('GET', `/api/backup-verifications/?ovf_export=${exportId}`)).body;
      await expect.poll(async () => (await listed()).length).toBe(2);
      const [newest] = await listed();
      const done = await until(
        `/api/backup-verifications/${newest?.id}/`,
        (s) => !['pending', 'running'].includes(s.status as string),
      );
      expect(done).toMatchObject({ status: 'passed', ovf_export: exportId, vm_cleanup_done: true });
      expect(served.problems).toEqual([]);
    } finally {
      served.close();
      await browser.close();
    }
  }, 120_000);

  it('is made by a schedule whose source is the VM’s OVF exports', async () => {
    const schedule = await call('POST', '/api/verification-schedules/', {
      name: 'exports nightly',
      esxi_server: serverId,
      frequency: 'daily',
      source: 'ovf_export',
      test_network: LAB,
    });
    expect(schedule).toMatchObject({ status: 201, body: { source: 'ovf_export' } });
    await t.deps.db
      .update(verification_schedules)
      .set({ next_run_at: new Date(Date.now() - 1000) })
      .where(eq(verification_schedules.id, schedule.body.id as number));
    expect(await runSchedulerPass(t.deps)).toBe(1);
    const [made] = (await call('GET', `/api/backup-verifications/?ovf_export=${exportId}`)).body;
    expect(made).toMatchObject({ schedule: schedule.body.id, ovf_export: exportId, vm_backup: null });
    const done = await until(
      `/api/backup-verifications/${made?.id}/`,
      (s) => !['pending', 'running'].includes(s.status as string),
    );
    expect(done).toMatchObject({ status: 'passed', vm_cleanup_done: true });
  }, 120_000);

  it('after a dead worker, removes the half-made VM of an import it left', async () => {
    const name = 'surebackup-interrupted-import';
    const datastore = esx.datastores[0]?.name as string;
    const exp = (await call('GET', `/api/ovf-exports/${exportId}/`)).body;
    const members = execFileSync('tar', ['-xOf', exp.package_path as string, `${esx.vms[0]}.ovf`]);
    const placement = await findPlacement(client);
    const ds = (await retrieveAll(client, 'Datastore', ['name'])).find((d) => d.props.name === datastore);
    const spec = await createImportSpec(client, {
      descriptor: members.toString('utf8'),
      pool: placement.pool,
      datastore: ds?.ref as MoRef,
      entityName: name,
    });
    const lease = await importVApp(client, placement, spec.importSpec ?? {});
    const [job] = await t.deps.db
      .insert(jobs)
      .values({ type: 'verification', status: 'FAILED', payload: { import_lease: lease.value } })
      .returning();
    await t.deps.db.insert(backup_verifications).values({
      ovf_export_id: exportId,
      esxi_server_id: serverId,
      job_id: job?.id,
      status: 'running',
      test_vm_name: name,
      test_datastore: datastore,
    });
    await verificationJob.cleanupInterrupted?.(job as never, t.deps);
    expect((await fetchInventory(client)).vms.map((v) => v.name)).not.toContain(name);
    // The simulator keeps a lease in the session that made it, so the cleanup's own session finds none to
    // abort (on a host, a lease left without progress ends at its timeout); the half-made VM is gone.
    expect(await retrieveOne(client, lease, ['state'])).toEqual({ state: 'ready' });
  }, 60_000);
});
