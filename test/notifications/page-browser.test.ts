/**
 * The Notifications page in Debian's Chromium, as an admin uses it: the sidebar entry, a webhook channel
 * refused in place (bad URL), then saved with a secret that the page never shows again; "Envoyer un test"
 * says in place what the webhook answered (and its refusal once it answers 500); the deliveries table shows a
 * delivery with its status; the SureBackup page downloads the PDF reports. A screenshot lands in
 * test-results/notifications.png.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, notify } from '../../src/notifications/index.js';
import { launchBrowser } from '../support/browser.js';
import { type SignedInPage, signedInPage } from '../support/signed-in-page.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SECRET = 'page-secret-77aa';

describe('the Notifications page in the browser', () => {
  let t: TestApp;
  let served: SignedInPage;
  let hook: Server;
  let hookUrl = '';
  let answer = 200;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/ebm`;
    [t, browser] = await Promise.all([createTestApp(), launchBrowser()]);
    served = await signedInPage(t, browser, 'admin');
    ({ url, page } = served);
  });
  afterAll(async () => {
    await browser?.close();
    served?.close();
    hook?.close();
    await t?.close();
  });

  it('creates a webhook channel, tests it in place and lists its deliveries', async () => {
    await page.goto(`${url}/`);
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(`${url}/notifications/`);
    expect(await page.textContent('h1')).toContain('Notifications');

    await page.fill('input[name=name]', 'Astreinte');
    await page.selectOption('select[name=kind]', 'webhook');
    await page.fill('input[name=webhook_url]', 'ftp://nope');
    await page.getByLabel('Vérification échouée').check();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    expect(await page.getByTestId('error-webhook_url').textContent()).toBe(
      'URL http:// ou https:// attendue',
    );
    expect(await page.inputValue('input[name=name]')).toBe('Astreinte');

    await page.fill('input[name=webhook_url]', hookUrl);
    await page.fill('input[name=webhook_secret]', SECRET);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(`${url}/notifications/`);
    const row = page.locator('tr[data-testid^=channel-]');
    expect(await row.textContent()).toContain('Astreinte');
    expect(await row.textContent()).toContain(hookUrl);
    expect(await page.content()).not.toContain(SECRET);

    await page.getByRole('button', { name: 'Envoyer un test' }).click();
    await expect
      .poll(() => page.getByTestId('test-answer').textContent())
      .toBe('Test envoyé. Réponse du serveur : HTTP 200 OK');
    answer = 500;
    await page.getByRole('button', { name: 'Envoyer un test' }).click();
    await expect
      .poll(() => page.getByTestId('test-answer').textContent())
      .toBe('Échec du test : Le webhook a répondu HTTP 500. (HTTP 500 Internal Server Error)');
    answer = 200;

    await notify(t.deps, 'verification.failed', {
      title: { key: 'notify.verification.failed.title', params: { vm: 'erp-db' } },
      lines: [],
      link: '/surebackup/',
      facts: {},
      severity: 'error',
    });
    await deliverDue(t.deps);
    await page.reload();
    const delivery = page.locator('tr[data-testid^=delivery-]');
    await expect.poll(() => delivery.textContent()).toContain('Vérification échouée : erp-db');
    expect(await delivery.textContent()).toContain('envoyé');

    await page.getByRole('button', { name: 'Modifier' }).click();
    expect(await page.textContent('#channel-form')).toContain('Enregistré : laissez vide pour le garder.');
    expect(await page.inputValue('input[name=webhook_secret]')).toBe('');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/notifications.png', fullPage: true });
    expect(served.problems).toEqual([]);
  });

  it('downloads the PDF reports from the SureBackup page', async () => {
    await page.goto(`${url}/surebackup/`);
    const [verifications] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-verifications').click(),
    ]);
    expect(verifications.suggestedFilename()).toMatch(
      /^verifications-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/,
    );
    const [protection] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-protection').click(),
    ]);
    expect(protection.suggestedFilename()).toMatch(/^protection-\d{4}-\d{2}-\d{2}\.pdf$/);
  });
});
