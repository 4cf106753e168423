/**
 * The one-click database backup in Chromium against the real app (child process, real PostgreSQL, real
 * pg_dump): a failure (pg_dump missing at PG_DUMP_PATH) shows the red card with Retry, which succeeds once
 * pg_dump is installed there (the path is looked up at each run); the sidebar button and Ctrl+Alt+S show the
 * blue bar bottom-right, reach 100 %, then the green card with name, size and location, gone after 8 s.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/db/users.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { launchBrowser, newPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** In the page (no DOM types here): records every state the card goes through, as `status:percent`. */
const RECORD_STATES = `window.seen = [];
new MutationObserver(() => {
  const card = document.getElementById('db-backup-card');
  const percent = card && card.querySelector('[data-testid=db-backup-percent]');
  if (card) window.seen.push(card.dataset.status + ':' + (percent ? percent.textContent : ''));
}).observe(document.body, { subtree: true, childList: true, characterData: true });`;

describe('database backup in the browser', () => {
  let database: TestDatabase;
  let app: AppProcess;
  let browser: Browser;
  let page: Page;
  const backupDir = mkdtempSync(path.join(tmpdir(), 'ebm-dbb-e2e-'));
  const binDir = mkdtempSync(path.join(tmpdir(), 'ebm-dbb-bin-'));
  const pgDump = path.join(binDir, 'pg_dump');

  beforeAll(async () => {
    [database, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
    await createUser(database.db, { username: 'admin', password: 'admin-password', role: 'admin' });
    app = await startApp({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ebm-dbb-data-')),
      DB_BACKUP_DIR: backupDir,
      PG_DUMP_PATH: pgDump,
      JOB_POLL_MS: '100',
    });
    page = await newPage(browser, 'fr');
    await page.goto(`${app.url}/login`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'admin-password');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${app.url}/`);
    // Records every state the card goes through (percent shown, colour class).
    await page.evaluate(RECORD_STATES);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await database?.drop();
  });

  /** Installs pg_dump at PG_DUMP_PATH (looked up at each run), for the tests that need it there. */
  const installPgDump = () => existsSync(pgDump) || symlinkSync('/usr/bin/pg_dump', pgDump);
  const backupFiles = () => readdirSync(backupDir).filter((n) => n.endsWith('.sql.gz'));
  const card = () => page.getByTestId('db-backup-card');
  const seen = () => page.evaluate('window.seen.splice(0)') as Promise<string[]>;
  const background = () =>
    page.evaluate(
      "getComputedStyle(document.getElementById('db-backup-card')).backgroundImage",
    ) as Promise<string>;

  it('shows the red card with Retry when pg_dump is missing, and Retry succeeds once it is installed', async () => {
    rmSync(pgDump, { force: true });
    const before = backupFiles().length;
    await page.getByTestId('db-backup-button').click();
    await expect.poll(() => card().getAttribute('data-status'), { timeout: 15_000 }).toBe('error');
    expect(await page.getByTestId('db-backup-error').textContent()).toBe(
      `La sauvegarde a échoué : pg_dump est introuvable à ${pgDump} (PG_DUMP_PATH) : installez-y postgresql-client.`,
    );
    await expect.poll(background).toContain('rgb(220, 38, 38)');
    expect(await background()).toContain('rgb(239, 68, 68)');
    await page.waitForTimeout(8500);
    expect(await card().count()).toBe(1); // an error stays

    installPgDump();
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await expect.poll(() => card().getAttribute('data-status'), { timeout: 15_000 }).toBe('success');
    expect(await page.getByRole('button', { name: 'Nouvelle sauvegarde' }).count()).toBe(1);
    expect(backupFiles()).toHaveLength(before + 1);
    await page.getByRole('button', { name: 'Fermer' }).click();
  });

  it('Ctrl+Alt+S shows the bar bottom-right up to 100 %, then name, size, location, gone after 8 s', async () => {
    installPgDump();
    await seen();
    await page.keyboard.press('Control+Alt+KeyS');
    await card().waitFor();
    const box = await card().boundingBox();
    const viewport = page.viewportSize() as { width: number; height: number };
    expect(box?.width).toBe(384);
    expect(viewport.width - ((box?.x ?? 0) + 384)).toBeLessThan(24);
    expect(viewport.height - ((box?.y ?? 0) + (box?.height ?? 0))).toBeLessThan(24);
    await expect.poll(() => card().getAttribute('data-status'), { timeout: 15_000 }).toBe('success');
    const shownAt = Date.now();
    const states = await seen();
    expect(states[0]).toMatch(/^running:/);
    expect(states).toContain('running:100%');
    // htmx keeps the old element's class for its 20 ms settle, so the colour is polled.
    await expect.poll(background).toContain('rgb(22, 163, 74)');
    expect(await page.getByTestId('db-backup-name').textContent()).toMatch(
      /^backup_ebm_test_[0-9a-f]+_\d{8}_\d{6}\.sql\.gz$/,
    );
    expect(await page.getByTestId('db-backup-size').textContent()).toMatch(/^\d+\.\d\d MB$/);
    expect(await page.getByTestId('db-backup-location').textContent()).toBe(backupDir);
    await card().waitFor({ state: 'detached', timeout: 12_000 });
    expect(Date.now() - shownAt).toBeGreaterThan(7000);
  });

  it('the sidebar button does the same; the page lists the backups; the widget shows the operation', async () => {
    installPgDump();
    await seen();
    await page.getByTestId('db-backup-button').click();
    await expect.poll(() => card().getAttribute('data-status'), { timeout: 15_000 }).toBe('success');
    const states = await seen();
    expect(states[0]).toMatch(/^running:/);
    expect(states).toContain('running:100%');
    await page.goto(`${app.url}/db-backups/`);
    expect(await page.getByTestId('db-backup-row').count()).toBe(backupFiles().length);
    const widget = page.locator('[data-testid=operation-card][data-job-type=db_backup]');
    expect(await widget.count()).toBeGreaterThan(0);
  });
});
