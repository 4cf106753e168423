/**
 * The Import dialog of the "Exports OVF" page in Debian's Chromium, with the job runner: an operator opens
 * Import on a completed export, is told in place that the name is taken, gives a new one, and watches the
 * `ovf_import` operation complete in the operations widget; the VM is then in the host's inventory. A
 * screenshot of the dialog lands in test-results/ovf-import.png.
 */
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackupJob } from '../../src/db/backups.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { createOvfExport } from '../../src/db/ovf-exports.js';
import { jobs } from '../../src/db/schema.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs } from '../backup/support.js';
import { launchBrowser } from '../support/browser.js';
import { type SignedInPage, signedInPage } from '../support/signed-in-page.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const VM = 'ha-host_VM1';

describe('OVF import in the browser', () => {
  /** Waits until the app's job runner completed a job (up to 60 s). */
  const finished = async (jobId: number) => {
    t.deps.jobs?.wake();
    for (let i = 0; i < 600; i++) {
      const [job] = await t.deps.db.select().from(jobs).where(eq(jobs.id, jobId));
      if (job?.status === 'COMPLETED') return;
      if (job?.status === 'FAILED' || job?.status === 'CANCELLED')
        throw new Error(`job ${jobId}: ${job.error}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`job ${jobId} did not complete`);
  };
  let sim: Simulator;
  let t: TestApp;
  let served: SignedInPage;
  let url: string;
  let browser: Browser;
  let page: Page;
  let serverId: number;

  beforeAll(async () => {
    [sim, t, browser] = await Promise.all([
      startSimulator({ tls: true }),
      createTestApp({}, { runner: true }),
      launchBrowser(),
    ]);
    const client = await connect(sim);
    await putFile(client, sim, `${VM}/disk1-flat.vmdk`, Buffer.alloc(4 << 20, 7));
    await putFile(client, sim, `${VM}/disk1.vmdk`, '# Disk DescriptorFile\nRW 8192 VMFS "disk1-flat.vmdk"\n');
    await putFile(client, sim, `${VM}/${VM}.vmx`, `displayName = "${VM}"\nethernet0.present = "TRUE"\n`);
    await client.logout();
    serverId = await addServer(t.deps, sim, 'esx-lab');
    await addStoragePath(t.deps);
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows.find(
      (r) => r.vm.name === VM,
    );
    const backup = await createBackupJob(t.deps.db, { virtual_machine_id: vm?.vm.id ?? 0 });
    await finished(backup.job_id);
    const exp = await createOvfExport(t.deps.db, { vm_backup_id: backup.id, format: 'ova' });
    await finished(exp.job_id);
    served = await signedInPage(t, browser, 'operator');
    ({ url, page } = served);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    served?.close();
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  it('imports a completed export under a new name and shows the operation', async () => {
    await page.goto(`${url}/ovf-exports/`);
    await page.getByTestId('ovf-import-button').click();
    const dialog = page.getByTestId('ovf-import-dialog');
    await dialog.locator('input[name="vm_name"]').fill('ha-host_VM0');
    await page.getByTestId('ovf-import-submit').click();
    await expect.poll(() => dialog.getByText('existe déjà').count()).toBe(1);
    mkdirSync('test-results', { recursive: true });
    await dialog.screenshot({ path: 'test-results/ovf-import.png' });
    // htmx reports the refused (400) request on the console; nothing else may be there.
    expect(served.problems.splice(0).filter((p) => !p.startsWith('htmx:'))).toEqual([]);
    await dialog.locator('input[name="vm_name"]').fill('web-imported');
    await page.getByTestId('ovf-import-submit').click();
    await expect.poll(() => dialog.count()).toBe(0);
    const card = page.locator('[data-testid="operation-card"][data-job-type="ovf_import"]');
    await expect.poll(() => card.first().getAttribute('data-status'), { timeout: 60_000 }).toBe('COMPLETED');
    expect(await card.first().textContent()).toContain('Import OVF');
    const rows = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows;
    expect(rows.map((r) => r.vm.name)).toContain('web-imported');
    expect(served.problems).toEqual([]);
  }, 120_000);
});
