import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startApp } from '../support/app-process.js';
import { launchBrowser, newPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('first run in a real browser', () => {
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

  it('creates the first admin, signs in, adds a host and sees its VMs and datastores', async () => {
    await page.goto(`${app.url}/`);
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('Créer le premier administrateur');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'correct-horse-battery');
    await page.fill('input[name=password_confirm]', 'correct-horse-battery');
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.url}/`);
    expect(await page.locator('h1').textContent()).toBe('Tableau de bord');

    await page.click('[data-testid=sidebar] >> text=Déconnexion');
    await page.waitForURL(/\/login$/);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('button[type=submit]');
    expect(await page.getByTestId('login-error').textContent()).toContain('incorrect');
    await page.fill('input[name=password]', 'correct-horse-battery');
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.url}/`);

    await page.click('[data-testid=sidebar] >> text=Chemins de stockage');
    expect(await page.getByTestId('storage-paths-table').textContent()).toContain('default');

    await page.click('[data-testid=sidebar] >> text=Serveurs');
    await page.getByTestId('add-server').click();
    await page.fill('input[name=name]', 'esx-lab');
    await page.fill('input[name=hostname]', esx.hostname);
    await page.fill('input[name=port]', String(esx.port));
    await page.fill('input[name=username]', esx.username);
    await page.fill('input[name=password]', 'not-it');
    await page.click('[data-testid=server-form] button[type=submit]');
    expect(await page.getByTestId('error-password').textContent()).toBe(
      'L’hôte ESXi a refusé le nom d’utilisateur ou le mot de passe.',
    );
    await page.fill('input[name=password]', esx.password);
    await page.click('[data-testid=server-form] button[type=submit]');
    await page.waitForURL(/\/servers\/\d+$/);
    expect(await page.locator('#toasts .toast').textContent()).toContain(`${esx.vms.length} VM`);
    expect(await page.getByTestId('connection-status').textContent()).toBe('connecté');
    expect(await page.locator('.thumbprint').textContent()).toBe(esx.thumbprint);

    await page.getByTestId('sync-server').click();
    await expect
      .poll(() => page.getByTestId('action-result').textContent())
      .toContain('Inventaire synchronisé');
    await expect.poll(() => page.getByTestId('vm-name').allTextContents()).toEqual([...esx.vms].sort());

    await page.click('[data-testid=sidebar] >> text=Machines virtuelles');
    await page.waitForURL(/\/virtual-machines\/$/);
    expect((await page.getByTestId('vm-name').allTextContents()).sort()).toEqual([...esx.vms].sort());
    await page.fill('input[name=search]', esx.vms[0] as string);
    await expect.poll(() => page.getByTestId('vm-name').allTextContents()).toEqual([esx.vms[0]]);
    expect(page.url()).toContain(`search=${encodeURIComponent(esx.vms[0] as string)}`);

    await page.click('[data-testid=sidebar] >> text=Datastores');
    await page.waitForURL(/\/datastores\/$/);
    expect(await page.getByTestId('datastore-name').allTextContents()).toEqual(
      esx.datastores.map((d) => d.name),
    );
    expect(app.logs()).not.toContain(esx.password);
  });
});
