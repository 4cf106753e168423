/**
 * The VM page's retention form in Debian's Chromium: an operator opens a VM from the list, sees the default
 * policy and its preview, gets a field error in place (the 400 fragment is swapped in), saves a policy of the
 * VM's own (the preview marks the points it would remove), then goes back to the default. A screenshot lands
 * in test-results/vm-retention.png for a look.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { type SignedInPage, signedInPage } from '../support/signed-in-page.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { addPoint, seedVm } from './retention-fixture.js';
import { removeStorageDirs } from './support.js';

describe('the retention form in the browser', () => {
  let t: TestApp;
  let served: SignedInPage;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp({ BACKUP_RETENTION_COUNT: '4' }), launchBrowser()]);
    served = await signedInPage(t, browser, 'operator');
    ({ url, page } = served);
  });
  afterAll(async () => {
    await browser?.close();
    served?.close();
    await t?.close();
    removeStorageDirs();
  });

  it('shows, refuses in place, saves and resets the policy of a VM', async () => {
    const vm = await seedVm(t.deps, 'vm-browser');
    for (let day = 1; day <= 3; day++) await addPoint(t.deps, vm, { at: new Date(2026, 2, day, 12) });
    await page.goto(`${url}/virtual-machines/`);
    await page.getByRole('link', { name: 'vm-browser' }).click();
    await page.waitForURL(`${url}/virtual-machines/${vm.vmId}`);
    expect(await page.getByTestId('retention-policy').textContent()).toBe(
      'Règle par défaut : les 4 dernières sauvegardes (BACKUP_RETENTION_COUNT).',
    );
    expect(await page.getByTestId('retention-mark').allTextContents()).toEqual([
      'à conserver',
      'à conserver',
      'à conserver',
    ]);

    await page.fill('input[name=keep_last]', '0');
    await page.fill('input[name=keep_daily]', '20000');
    await page.getByTestId('retention-save').click();
    await expect
      .poll(() => page.getByTestId('error-keep_daily').textContent())
      .toBe('doit être un nombre entier de 0 à 10 000');
    expect(await page.inputValue('input[name=keep_daily]')).toBe('20000');

    await page.fill('input[name=keep_daily]', '0');
    await page.fill('input[name=keep_last]', '2');
    await page.getByTestId('retention-save').click();
    await expect
      .poll(() => page.getByTestId('retention-notice').textContent())
      .toBe('Règle de rétention enregistrée.');
    expect(await page.getByTestId('retention-policy').textContent()).toBe('Règle propre à cette VM.');
    expect(await page.getByTestId('retention-mark').allTextContents()).toEqual([
      'à conserver',
      'à conserver',
      'à supprimer',
    ]);
    mkdirSync('test-results', { recursive: true });
    await page.getByTestId('vm-retention').screenshot({ path: 'test-results/vm-retention.png' });

    await page.getByTestId('retention-reset').click();
    await expect
      .poll(() => page.getByTestId('retention-notice').textContent())
      .toBe('Règle par défaut rétablie.');
    expect(await page.inputValue('input[name=keep_last]')).toBe('4');
    expect(served.problems).toEqual([]);
  });
});
