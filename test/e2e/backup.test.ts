import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/db/users.js';
import { connect, putFile } from '../backup/support.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { launchBrowser, newPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('a backup followed in the browser', () => {
  let database: TestDatabase;
  let app: AppProcess;
  let esx: Simulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [database, esx, browser] = await Promise.all([
      createTestDatabase(),
      startSimulator({ tls: true }),
      launchBrowser(),
    ]);
    await createUser(database.db, { username: 'admin', password: 'admin-password', role: 'admin' });
    const client = await connect(esx);
    await putFile(client, esx, `${esx.vms[0]}/disk1-flat.vmdk`, randomBytes(256 * 1024 * 1024));
    await client.logout();
    app = await startApp({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ebm-e2e-')),
    });
    page = await newPage(browser, 'fr');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await esx?.stop();
    await database?.drop();
  });

  async function submit(form: string) {
    await page.click(`${form} button[type=submit]`);
  }

  it('shows the live bar on the Backups page, keeps the widget across navigation and reload, ends with the size', async () => {
    await page.goto(`${app.url}/login`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'admin-password');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${app.url}/`);

    await page.goto(`${app.url}/servers/new`);
    await page.fill('input[name=name]', 'esx');
    await page.fill('input[name=hostname]', esx.hostname);
    await page.fill('input[name=port]', String(esx.port));
    await page.fill('input[name=password]', esx.password);
    await submit('[data-testid=server-form]');
    await page.waitForURL(/\/servers\/\d+$/);
    await page.goto(`${app.url}/storage-paths/`);
    await page.fill('input[name=name]', 'local');
    await page.fill('input[name=path]', mkdtempSync(path.join(tmpdir(), 'ebm-e2e-store-')));
    await submit('form[action="/storage-paths/"]');

    await page.click('[data-testid=sidebar] >> text=Sauvegardes');
    await page.selectOption('select[name=virtual_machine]', { label: `${esx.vms[0]} (esx)` });
    await page.getByTestId('start-backup').click();
    await expect.poll(() => page.getByTestId('start-backup').isDisabled()).toBe(true);
    expect(await page.getByTestId('start-backup').textContent()).toBe('Sauvegarde en cours...');
    await page.getByTestId('backup-progress').waitFor();

    await page.click('[data-testid=sidebar] >> text=Machines virtuelles');
    await page.getByTestId('operation-card').waitFor();
    await page.reload();
    const card = page.getByTestId('operation-card');
    await card.waitFor();
    expect(await card.textContent()).toContain(esx.vms[0]);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 60_000 }).toBe('COMPLETED');
    expect(await card.getByTestId('operation-progress').textContent()).toContain('100 %');

    await page.click('[data-testid=sidebar] >> text=Sauvegardes');
    expect(await page.getByTestId('backup-result').textContent()).toMatch(
      /^Sauvegarde terminée avec succès ! \(26\d\.\d\d MB\)$/,
    );
    expect(await page.getByTestId('backup-status').first().textContent()).toBe('terminée');
    await expect.poll(() => page.getByTestId('operation-card').count(), { timeout: 15_000 }).toBe(0);

    await page.getByTestId('restore-button').first().click();
    const dialog = page.getByTestId('restore-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('input[name=vm_name]').inputValue()).toBe(`${esx.vms[0]}-restored`);
    await dialog.locator('input[name=vm_name]').fill('copy-of-vm');
    await dialog.locator('input[name=power_on]').check();
    await page.getByTestId('restore-submit').click();
    await expect
      .poll(() => page.locator('#toasts .toast').last().textContent())
      .toBe('Restauration de copy-of-vm lancée.');
    expect(await dialog.count()).toBe(0);
    const restoreCard = page.locator('[data-testid=operation-card][data-job-type=restore]');
    await expect.poll(() => restoreCard.getAttribute('data-status'), { timeout: 60_000 }).toBe('COMPLETED');
    await page.click('[data-testid=sidebar] >> text=Machines virtuelles');
    await expect.poll(() => page.getByTestId('vm-name').allTextContents()).toContain('copy-of-vm');
  });
});
