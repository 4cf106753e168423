/**
 * Backup jobs in Debian's Chromium, against the app with a job runner and a simulated host: an operator opens
 * "Tâches de sauvegarde" from the sidebar, creates a job over the host with a name pattern (the preview shows
 * the VMs it selects), a daily schedule at 22:00 (in words, with three next runs), runs it now, watches the run
 * page follow it live to `réussie`, with a line per VM. Screenshots: test-results/backup-job-form.png, backup-job-run.png.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addServer, addStoragePath, removeStorageDirs } from '../backup/support.js';
import { launchBrowser } from '../support/browser.js';
import { type SignedInPage, signedInPage } from '../support/signed-in-page.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('backup jobs in the browser', () => {
  let t: TestApp;
  let sim: Simulator;
  let served: SignedInPage;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [t, browser, sim] = await Promise.all([
      createTestApp({ JOB_CONCURRENCY: '1' }, { runner: true }),
      launchBrowser(),
      startSimulator({ tls: false, vms: 3 }),
    ]);
    await addServer(t.deps, sim, 'esx-lab');
    await addStoragePath(t.deps, 'nas');
    served = await signedInPage(t, browser, 'operator');
    ({ url, page } = served);
  });
  afterAll(async () => {
    await browser?.close();
    served?.close();
    await t?.close();
    await sim?.stop();
    removeStorageDirs();
  });

  it('creates a daily job with a pattern, runs it now and shows the run succeed with its VM lines', async () => {
    await page.goto(`${url}/`);
    await page.getByTestId('sidebar').getByRole('link', { name: 'Tâches de sauvegarde' }).click();
    await page.waitForURL(`${url}/backup-jobs/`);
    expect(await page.getByTestId('backup-jobs-empty').textContent()).toBe('Aucune tâche de sauvegarde.');
    await page.getByTestId('new-backup-job').click();
    await page.waitForURL(`${url}/backup-jobs/new`);

    await page.fill('input[name=name]', 'Nuit');
    await page.getByLabel('esx-lab', { exact: true }).check();
    await expect.poll(() => page.getByTestId('selected-vm').count()).toBe(3);
    await page.getByTestId('exclude-patterns').fill('*VM2');
    await expect
      .poll(() => page.getByTestId('selected-vm').allTextContents())
      .toEqual(['ha-host_VM0 (esx-lab)', 'ha-host_VM1 (esx-lab)']);
    await page.selectOption('select[name=schedule_preset]', 'daily');
    await page.fill('input[name=schedule_time]', '22:00');
    await page.selectOption('select[name=schedule_timezone]', 'Europe/Paris');
    await expect
      .poll(() => page.getByTestId('schedule-words').textContent())
      .toBe('tous les jours à 22:00 (Europe/Paris)');
    expect(await page.getByTestId('schedule-next-runs').locator('li').count()).toBe(3);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/backup-job-form.png', fullPage: true });
    await page.getByTestId('save-backup-job').click();
    await page.waitForURL(/\/backup-jobs\/\d+$/);
    expect(await page.getByTestId('job-schedule').textContent()).toBe(
      'tous les jours à 22:00 (Europe/Paris)',
    );
    expect(await page.getByTestId('job-next-runs').locator('li').count()).toBe(3);

    await page.goto(`${url}/backup-jobs/`);
    const row = page.locator('[data-testid^=backup-job-]').first();
    expect(await row.textContent()).toContain('tous les jours à 22:00 (Europe/Paris)');
    await row.getByRole('button', { name: 'Exécuter maintenant' }).click();
    await page.waitForURL(/\/backup-jobs\/runs\/\d+$/);
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 })
      .toBe('réussie');
    expect(await page.getByTestId('run-vm').count()).toBe(2);
    expect(await page.getByTestId('run-vm-status').allTextContents()).toEqual(['réussie', 'réussie']);
    expect(await page.getByTestId('cancel-run').count()).toBe(0);
    await page.screenshot({ path: 'test-results/backup-job-run.png', fullPage: true });
    expect(served.problems).toEqual([]);
  });
});
