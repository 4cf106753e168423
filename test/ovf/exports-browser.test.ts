/**
 * The Export button and the "Exports OVF" page in Debian's Chromium, with the job runner: an admin exports a
 * restore point as OVA from the backup history, lands on the Exports page, watches it complete, and downloads
 * the package: a tar whose first member is the .ovf; then exports the running VM from its page (its newest
 * restore point) as OVF, and a powered-off VM straight from its host. A screenshot lands in
 * test-results/ovf-exports.png.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmBackupJob } from '../../src/backup/index.js';
import { createBackupJob } from '../../src/db/backups.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { syncInventory } from '../../src/inventory/sync.js';
import { powerOff, vmRef } from '../../src/vsphere/index.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs, runJob } from '../backup/support.js';
import { launchBrowser } from '../support/browser.js';
import { type SignedInPage, signedInPage } from '../support/signed-in-page.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const VM = 'ha-host_VM1';
const OFF = 'ha-host_VM0';

describe('OVF exports in the browser', () => {
  let sim: Simulator;
  let t: TestApp;
  let served: SignedInPage;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [sim, t, browser] = await Promise.all([
      startSimulator({ tls: true }),
      createTestApp({}, { runner: true }),
      launchBrowser(),
    ]);
    const client = await connect(sim);
    await putFile(
      client,
      sim,
      `${VM}/disk1-flat.vmdk`,
      Buffer.concat([randomBytes(2 << 20), Buffer.alloc(6 << 20)]),
    );
    await putFile(
      client,
      sim,
      `${VM}/disk1.vmdk`,
      '# Disk DescriptorFile\nRW 16384 VMFS "disk1-flat.vmdk"\n',
    );
    await putFile(client, sim, `${VM}/${VM}.vmx`, `displayName = "${VM}"\nethernet0.present = "TRUE"\n`);
    await client.logout();
    const serverId = await addServer(t.deps, sim, 'esx-lab');
    await addStoragePath(t.deps);
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows.find(
      (r) => r.vm.name === VM,
    );
    const backup = await createBackupJob(t.deps.db, { virtual_machine_id: vm?.vm.id ?? 0 });
    expect((await runJob(vmBackupJob, t.deps, backup.job_id)).job.error).toBeNull();
    served = await signedInPage(t, browser, 'admin');
    ({ url, page } = served);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    served?.close();
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  it('exports a restore point as OVA from the backup history and downloads it from the Exports page', async () => {
    await page.goto(`${url}/backups/`);
    await page.getByTestId('ovf-export-ova').first().click();
    await page.waitForURL(`${url}/ovf-exports/`);
    expect(await page.getByRole('heading', { level: 1 }).first().textContent()).toContain('Exports OVF');
    await expect
      .poll(() => page.getByTestId('ovf-export-status').first().textContent(), { timeout: 60_000 })
      .toBe('terminée');
    expect(await page.getByTestId('ovf-export-files').first().textContent()).toMatch(
      new RegExp(`^${VM}\\.ova`),
    );
    mkdirSync('test-results', { recursive: true });
    await page.getByTestId('ovf-exports').screenshot({ path: 'test-results/ovf-exports.png' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('ovf-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${VM}.ova`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ebm-ova-')), 'x.ova');
    await download.saveAs(file);
    const members = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(members).toEqual([`${VM}.ovf`, `${VM}.mf`, `${VM}-disk1.vmdk`]);
    expect(served.problems).toEqual([]);
    writeFileSync(file, '');
  }, 120_000);

  it('exports the newest restore point of a running VM from its page as OVF', async () => {
    const [vm] = (await listVirtualMachines(t.deps.db)).rows.filter((r) => r.vm.name === VM);
    await page.goto(`${url}/virtual-machines/${vm?.vm.id}`);
    expect(await page.getByTestId('vm-ovf-intro').textContent()).toContain('dernier point de restauration');
    await page.getByTestId('vm-ovf-export').getByTestId('ovf-export-ovf').click();
    await page.waitForURL(`${url}/ovf-exports/`);
    expect(await page.getByTestId('ovf-export-row').count()).toBe(2);
    await expect
      .poll(() => page.getByTestId('ovf-export-status').first().textContent(), { timeout: 60_000 })
      .toBe('terminée');
    expect(await page.getByTestId('ovf-export-files').first().textContent()).toMatch(
      new RegExp(`^${VM}\\.ovf.*${VM}\\.mf.*${VM}-disk1\\.vmdk`),
    );
    expect(served.problems).toEqual([]);
  }, 120_000);

  it('offers a running VM without restore point nothing, and exports it from its host once powered off', async () => {
    const [vm] = (await listVirtualMachines(t.deps.db)).rows.filter((r) => r.vm.name === OFF);
    await page.goto(`${url}/virtual-machines/${vm?.vm.id}`);
    expect(await page.getByTestId('vm-ovf-intro').textContent()).toContain('éteignez-la');
    expect(await page.getByTestId('vm-ovf-export').getByTestId('ovf-export-ovf').isDisabled()).toBe(true);
    const client = await connect(sim);
    await powerOff(client, vmRef(vm?.vm.moref ?? ''));
    await client.logout();
    await syncInventory(t.deps, vm?.vm.esxi_server_id ?? 0);
    await page.goto(`${url}/virtual-machines/${vm?.vm.id}`);
    expect(await page.getByTestId('vm-ovf-intro').textContent()).toContain('directement sur l’hôte');
    await page.getByTestId('vm-ovf-export').getByTestId('ovf-export-ovf').click();
    await page.waitForURL(`${url}/ovf-exports/`);
    const row = page.getByTestId('ovf-export-row').filter({ hasText: OFF });
    await expect
      .poll(() => row.getByTestId('ovf-export-status').textContent(), { timeout: 60_000 })
      .toBe('terminée');
    expect(await row.getByTestId('ovf-export-files').textContent()).toMatch(
      new RegExp(`^${OFF}\\.ovf.*${OFF}\\.mf.*${OFF}-disk1\\.vmdk`),
    );
    expect(served.problems).toEqual([]);
  }, 120_000);
});
