/**
 * @module test/support/browser: headless Debian Chromium driven by playwright-core, for end-to-end tests.
 *
 * `launch()` gives every browser a fresh temporary profile (Playwright creates it and removes it on close),
 * so tests never share cookies or caches. The background-networking flags matter on the CI machines: without
 * them Chromium's own connections (updates, sync, QUIC probes) get refused in bursts and slow pages down.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Chromium from the Debian package `chromium`; `CHROMIUM_PATH` overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** UI languages of the app: French first, English second. */
export type UiLocale = 'fr' | 'en';

const LOCALES: Record<UiLocale, string> = { fr: 'fr-FR', en: 'en-US' };

/**
 * Starts headless Chromium. Close it with `browser.close()` (in `afterAll`).
 * @throws Error naming the missing executable when Chromium is not installed.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * Opens a page in its own context (own cookies), whose `navigator.language` and `Accept-Language` are the
 * given UI language. Closing the page closes its context.
 * @param locale `fr` (default, the app's first language) or `en`.
 */
export async function newPage(browser: Browser, locale: UiLocale = 'fr'): Promise<Page> {
  const page = await browser.newPage({ locale: LOCALES[locale] });
  page.setDefaultTimeout(15_000);
  return page;
}
