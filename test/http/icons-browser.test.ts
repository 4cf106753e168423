/**
 * Icons in Debian's Chromium (issue 11 part 5): every sidebar entry and the database-backup button show an
 * inline Lucide <svg> (views/components/icon.tsx) of the text's size and colour, and no text in the sidebar
 * is a Unicode symbol (arrows, dingbats, emoji: missing glyphs without an emoji font), under the app's CSP.
 * A screenshot of the sidebar lands in test-results/sidebar-icons.png for a look.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { type SignedInPage, signedInPage } from '../support/signed-in-page.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Arrows, technical and geometric symbols, dingbats, misc. symbols (U+2190–U+2BFF) and emoji. */
const SYMBOLS = '[\\u2190-\\u2BFF\\u{1F000}-\\u{1FAFF}]';

/** In the page: the texts under `selector` that hold a symbol of {@link SYMBOLS}. */
const symbolTexts = (selector: string) => `(() => {
  const walker = document.createTreeWalker(document.querySelector(${JSON.stringify(selector)}), NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (/${SYMBOLS}/u.test(node.textContent)) found.push(node.textContent);
  }
  return found;
})()`;

/** In the page: each sidebar link and button (its href or #id) with its first child <svg>'s size and colours. */
const SIDEBAR_ICONS = `[...document.querySelectorAll('[data-testid=sidebar] nav a, #db-backup-button')].map((el) => {
  const svg = el.firstElementChild && el.firstElementChild.tagName === 'svg' ? el.firstElementChild : null;
  const box = svg && svg.getBoundingClientRect();
  return {
    label: el.getAttribute('href') || '#' + el.id,
    svg: Boolean(svg),
    hidden: svg ? svg.getAttribute('aria-hidden') : null,
    paths: svg ? svg.querySelectorAll('path, circle, rect, line, polyline, ellipse').length : 0,
    width: box ? box.width : 0,
    height: box ? box.height : 0,
    fontSize: parseFloat(getComputedStyle(el).fontSize),
    stroke: svg ? getComputedStyle(svg).stroke : '',
    color: getComputedStyle(el).color,
  };
})`;

type IconInfo = {
  label: string;
  svg: boolean;
  hidden: string | null;
  paths: number;
  width: number;
  height: number;
  fontSize: number;
  stroke: string;
  color: string;
};

describe('icons in the browser', () => {
  let t: TestApp;
  let served: SignedInPage;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), launchBrowser()]);
    served = await signedInPage(t, browser, 'admin');
    ({ url, page } = served);
    // CSP violations (console errors), script errors, and page resources that fail (not the favicon).
    page.on('response', (r) => {
      const request = r.request();
      if (
        r.status() >= 400 &&
        request.resourceType() !== 'document' &&
        !request.url().endsWith('/favicon.ico')
      )
        served.problems.push(`${r.status()} ${request.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    served?.close();
    await t?.close();
  });

  it('shows an inline <svg> before every sidebar entry and the backup button, and no symbol text', async () => {
    await page.goto(`${url}/`);
    await page.getByTestId('db-backup-button').waitFor();
    const icons = (await page.evaluate(SIDEBAR_ICONS)) as IconInfo[];
    const labels = icons.map((i) => i.label);
    // The 13 entries, the 3 Admin ones, the backup button.
    expect(labels).toEqual([
      '/',
      '/servers/',
      '/virtual-machines/',
      '/datastores/',
      '/backups/',
      '/backup-jobs/',
      '/ovf-exports/',
      '/replication/',
      '/failover/',
      '/surebackup/',
      '/snapshot-schedules/',
      '/notifications/',
      '/settings/',
      '/storage-paths/',
      '/users/',
      '/db-backups/',
      '#db-backup-button',
    ]);
    for (const icon of icons) {
      expect(icon.svg, icon.label).toBe(true);
      expect(icon.hidden, icon.label).toBe('true');
      expect(icon.paths, icon.label).toBeGreaterThan(0);
      // Sized by .icon in app.css: 1.15em, so about the text's height, square.
      expect(icon.width, icon.label).toBeCloseTo(icon.fontSize * 1.15, 0);
      expect(icon.height, icon.label).toBeCloseTo(icon.width, 1);
      expect(icon.stroke, icon.label).toBe(icon.color); // currentColor
    }
    expect(await page.evaluate(symbolTexts('[data-testid=sidebar]'))).toEqual([]);
    expect(served.problems).toEqual([]);

    mkdirSync('test-results', { recursive: true });
    await page.getByTestId('sidebar').screenshot({ path: 'test-results/sidebar-icons.png' });
  });

  it('shows the error page’s way back as an icon and a label, with no symbol text', async () => {
    const res = await page.goto(`${url}/nowhere`);
    expect(res?.status()).toBe(404);
    const back = page.getByTestId('error-message').locator('a');
    expect(await back.locator('svg.icon').count()).toBe(1);
    expect((await back.textContent())?.trim()).toBe('Tableau de bord');
    expect(await page.evaluate(symbolTexts('body'))).toEqual([]);
    expect(served.problems).toEqual([]);
  });
});
