/**
 * @module test/support/signed-in-page: the app served on a loopback port and a Chromium page signed in as a
 * user of the given role, for browser tests. The page records its script errors and console errors (failed
 * resource loads aside, which tests check themselves where they matter) in `problems`.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '../../src/db/schema.js';
import { newPage, type UiLocale } from './browser.js';
import type { TestApp } from './test-app.js';

export interface SignedInPage {
  /** The app's base URL (`http://127.0.0.1:<port>`). */
  url: string;
  page: Page;
  /** Script errors and console errors seen so far. */
  problems: string[];
  /** Stops serving the app (the browser is the caller's to close). */
  close(): void;
}

/**
 * Serves `t.app` and opens a page in `browser` holding the session cookie of a new `role` user.
 * @param locale the page's UI language (default French).
 */
export async function signedInPage(
  t: TestApp,
  browser: Browser,
  role: Role = 'operator',
  locale: UiLocale = 'fr',
): Promise<SignedInPage> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { cookie } = await t.signIn(role);
  const [name, value] = cookie.split('=') as [string, string];
  const page = await newPage(browser, locale);
  await page.context().addCookies([{ name, value, url }]);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  return { url, page, problems, close: () => server.close() };
}
