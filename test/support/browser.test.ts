/** Smoke test: proves that headless Chromium starts and renders a page on this machine. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from './browser.js';

describe('headless Chromium', () => {
  let server: Server;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const lang = req.headers['accept-language'] ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Sauvegardes ESXi</title><p id="lang">${lang}</p>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('opens a local page and reads its title', async () => {
    const page = await newPage(browser);
    await page.goto(url);
    expect(await page.title()).toBe('Sauvegardes ESXi');
    expect(await page.textContent('#lang')).toMatch(/^fr-FR/);
    await page.close();
  });

  it('sends the English locale when asked', async () => {
    const page = await newPage(browser, 'en');
    await page.goto(url);
    expect(await page.textContent('#lang')).toMatch(/^en-US/);
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await page.close();
  });
});
