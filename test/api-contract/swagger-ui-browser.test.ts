/**
 * @module test/api-contract/swagger-ui-browser: Swagger UI in headless Chromium under the app's CSP: the page
 * loads from local files only, renders every documented operation, and with an API token entered in
 * "Authorize" runs a request for real.
 */
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Swagger UI at /api/schema/swagger-ui/', () => {
  let t: TestApp;
  let server: ServerType;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), launchBrowser()]);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
  });

  it('renders every operation without a CSP violation or a foreign request, and tries one with a token', async () => {
    const page = await newPage(browser, 'en');
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await page.goto(`${url}/api/schema/swagger-ui/`);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(57);
    expect(await page.locator('.info .title').textContent()).toContain('ESXi Backup Manager API');
    expect(await page.locator('.errors-wrapper').count(), 'Swagger UI found no error in the document').toBe(
      0,
    );

    const { token } = await t.apiUser('viewer');
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const tokenAuth = page.locator('.auth-container').first();
    await tokenAuth.locator('input').fill(`Token ${token}`);
    await tokenAuth.locator('button.authorize').click();
    await page.locator('.modal-ux button.btn-done').first().click();
    const list = page.locator('#operations-esxi-servers-get_esxi_servers');
    await list.locator('.opblock-summary').click();
    await list.getByRole('button', { name: 'Try it out' }).click();
    await list.getByRole('button', { name: 'Execute' }).click();
    const status = list.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(async () => (await status.count()) && (await status.textContent())?.trim()).toBe('200');
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
