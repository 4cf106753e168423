/**
 * The VM page's retention form in Debian's Chromium: an operator opens a VM from the list, sees the default
 * policy and its preview, gets a field error in place (the 400 fragment is swapped in), saves a policy of the
 * VM's own (the preview marks the points it would remove), then goes back to the default. A screenshot lands
 * in test-results/vm-retention.png for a look.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { addPoint, seedVm } from './retention-fixture.js';
import { removeStorageDirs } from './support.js';

describe('the retention form in the browser', () => {
  let t: TestApp;
  let server: ServerType;
  let url: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp({ BACKUP_RETENTION_COUNT: '4' }), launchBrowser()]);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { cookie } = await t.signIn('operator');
    const [name, value] = cookie.split('=') as [string, string];
    page = await newPage(browser, 'fr');
    await page.context().addCookies([{ name, value, url }]);
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
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
    expect(problems).toEqual([]);
  });
});
