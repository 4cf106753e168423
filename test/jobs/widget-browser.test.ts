import { eq, sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob } from '../../src/db/jobs.js';
import { jobs } from '../../src/db/schema.js';
import { msg } from '../../src/i18n/message.js';
import { enqueueJob } from '../../src/jobs/actions.js';
import { type JobRunner, startJobRunner } from '../../src/jobs/runner.js';
import { launchBrowser } from '../support/browser.js';
import { type SignedInPage, signedInPage } from '../support/signed-in-page.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { fastOptions, gate, waitForStatus } from './helpers.js';

describe('operations widget in a real browser', () => {
  let t: TestApp;
  let runner: JobRunner;
  let served: SignedInPage;
  let url: string;
  let browser: Browser;
  let page: Page;
  let percent = 0;
  let release = gate();

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), launchBrowser()]);
    runner = startJobRunner(
      t.deps,
      {
        vm_backup: {
          cancellable: true,
          handler: async ({ report, signal }) => {
            report({ progress: percent, step: msg('step.copying', { file: 'disk1-flat.vmdk' }) });
            const tick = setInterval(() => report({ progress: percent }), 50);
            try {
              await Promise.race([
                release.opened,
                new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
              ]);
            } finally {
              clearInterval(tick);
            }
          },
        },
      },
      fastOptions(),
    );
    t.deps.jobs = runner;
    served = await signedInPage(t, browser, 'operator');
    ({ url, page } = served);
  });
  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    served?.close();
    await t?.close();
  });

  it('shows a job’s progress live, across navigation, then drops it 10 s after it ends', async () => {
    await page.goto(`${url}/`);
    const widget = page.locator('#operations-widget');
    await expect
      .poll(() => widget.getAttribute('hx-trigger'))
      .toBe('every 10s, operations-changed from:body');

    percent = 12;
    const job = await enqueueJob(t.deps, { type: 'vm_backup', target_label: 'web-01' });
    // What a route that starts a job does with `HX-Trigger: operations-changed`.
    await page.dispatchEvent('body', 'operations-changed');
    const card = page.locator('[data-testid=operation-card]');
    await expect.poll(() => card.count()).toBe(1);
    await expect
      .poll(() => card.locator('[data-testid=operation-step]').textContent())
      .toBe('Copie de disk1-flat.vmdk');
    percent = 64;
    await expect.poll(() => card.locator('.operation-percent').textContent(), { timeout: 4000 }).toBe('64 %');

    await page.goto(`${url}/servers/`);
    await expect.poll(() => card.locator('.operation-percent').textContent()).toBe('64 %');

    release.open();
    await waitForStatus(t.database.db, job.id, 'COMPLETED');
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 4000 }).toBe('COMPLETED');
    expect(await card.getAttribute('class')).toContain('operation-completed');

    // Pretend it ended 9.5 s ago: it must be gone within the next polls, and polling slows down.
    await t.database.db
      .update(jobs)
      .set({ finished_at: sql`now() - interval '9.5 seconds'` })
      .where(eq(jobs.id, job.id));
    await expect.poll(() => card.count(), { timeout: 4000 }).toBe(0);
    await expect
      .poll(() => widget.getAttribute('hx-trigger'))
      .toBe('every 10s, operations-changed from:body');
    let requests = 0;
    page.on('request', (r) => {
      if (r.url().includes('/operations/widget')) requests++;
    });
    await page.waitForTimeout(1500);
    expect(requests).toBe(0);
  });

  it('cancels a running job from its card (confirm, CSRF header) and shows it cancelled', async () => {
    release = gate();
    await page.goto(`${url}/`);
    const job = await enqueueJob(t.deps, { type: 'vm_backup', target_label: 'db-01' });
    await page.dispatchEvent('body', 'operations-changed');
    const button = page.locator('[data-testid=operation-cancel]');
    await expect.poll(() => button.count()).toBe(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await button.click();
    await waitForStatus(t.database.db, job.id, 'CANCELLED', 4000);
    await expect
      .poll(() => page.locator('[data-testid=operation-card]').getAttribute('data-status'), { timeout: 4000 })
      .toBe('CANCELLED');
    expect((await getJob(t.database.db, job.id))?.error).toBeNull();
  });
});
