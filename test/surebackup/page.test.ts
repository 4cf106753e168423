/** @module test/surebackup/page: the SureBackup page in Chromium: Verify now, the result in the list, details, schedules. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, putFile } from '../backup/support.js';
import { adminHeaders, apiClient, fetchOn, type Json, registerSimulator } from '../support/api-client.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { launchBrowser, newPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { englishIn } from '../support/english.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('the SureBackup page', () => {
  let database: TestDatabase;
  let app: AppProcess;
  let esx: Simulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [database, esx, browser] = await Promise.all([
      createTestDatabase(),
      startSimulator({ tls: false }),
      launchBrowser(),
    ]);
    const headers = await adminHeaders(database.db);
    const client = await connect(esx);
    await putFile(client, esx, `${esx.vms[0]}/disk1-flat.vmdk`, randomBytes(256 * 1024));
    await client.logout();
    app = await startApp({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ebm-sb-e2e-')),
      VERIFICATION_NO_TOOLS_GRACE_SECONDS: '1',
    });
    const api = apiClient(
      fetchOn(() => app.url),
      headers,
    );
    const call = async (method: string, url: string, body?: Json) => (await api.call(method, url, body)).body;
    const serverId = await registerSimulator(api, 'esx', esx);
    const storage = await call('POST', '/api/storage-paths/', {
      name: 'local',
      path: mkdtempSync(path.join(tmpdir(), 'ebm-sb-e2e-store-')),
    });
    const vm = (await call('GET', `/api/virtual-machines/?esxi_server=${serverId}&search=${esx.vms[0]}`))[0];
    const backup = await call('POST', '/api/vm-backups/', {
      virtual_machine: vm?.id,
      storage_path: storage.id,
    });
    for (
      let i = 0;
      i < 300 && (await call('GET', `/api/vm-backups/${backup.id}/`)).status !== 'COMPLETED';
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    page = await newPage(browser, 'fr');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await esx?.stop();
    await database?.drop();
  });

  it('verifies a backup from the Verify now dialog and shows it passed, with its log', async () => {
    await page.goto(`${app.url}/login`);
    await page.fill('input[name=username]', 'ops');
    await page.fill('input[name=password]', 'ops-password');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${app.url}/`);

    await page.click('[data-testid=sidebar] >> text=SureBackup');
    await page.waitForURL(`${app.url}/surebackup/`);
    expect(await page.getByTestId('sb-stat-total').locator('strong').textContent()).toBe('0');
    await page.getByTestId('verify-now').click();
    const dialog = page.getByTestId('verify-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('input[name=test_network]').inputValue()).toBe('VM Network Isolated');
    await page.getByTestId('verify-submit').click();
    await expect
      .poll(() => page.locator('#toasts .toast').last().textContent())
      .toBe(`Vérification de ${esx.vms[0]} lancée.`);
    expect(await dialog.count()).toBe(0);
    const status = page.getByTestId('verification-status').first();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('réussie');
    await expect.poll(() => page.getByTestId('sb-stat-passed').locator('strong').textContent()).toBe('1');
    expect(await page.getByTestId('sb-stat-rate').locator('strong').textContent()).toBe('100 %');

    await page.getByTestId('verification-details').first().click();
    await page.getByTestId('verification-detail').waitFor();
    const log = (await page.getByTestId('detail-log').textContent()) ?? '';
    expect(log).toContain('VMware Tools n’est pas installé');
    expect(log).toContain('Nettoyage terminé');
    expect(log).not.toContain('{"key"');
    const detail = (await page.getByTestId('verification-detail').textContent()) ?? '';
    expect(englishIn(detail)).toEqual([]);
    expect(detail).not.toMatch(/\b(Verification|Verifying|Restoring|Powered|Booted|Cleanup|Result|Failed)\b/);

    await page.goto(`${app.url}/backups`);
    expect(await page.getByTestId('backup-verification').first().textContent()).toBe('réussie');

    await page.goto(`${app.url}/surebackup`);
    await page.getByTestId('filter-status').selectOption('failed');
    await expect.poll(() => page.getByTestId('verification-row').count()).toBe(0);

    const form = page.getByTestId('schedule-form');
    await form.locator('input[name=name]').fill('Auto-vérification');
    await form.locator('select[name=frequency]').selectOption('after_backup');
    await page.getByTestId('schedule-submit').click();
    const row = page.getByTestId('schedule-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Après chaque sauvegarde');
    await page.getByTestId('schedule-toggle').click();
    await expect.poll(() => page.getByTestId('schedule-row').textContent()).toContain('Inactive');
  });
});
