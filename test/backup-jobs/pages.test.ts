/**
 * The backup job form without a browser: a bad field shows the form again (400) with the message beside it and
 * the values kept; a good one saves and redirects to the job's page; the edit form shows the saved values; a
 * viewer sees the list but gets no form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedVm } from '../backup/retention-fixture.js';
import { removeStorageDirs } from '../backup/support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('the backup job form', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    removeStorageDirs();
  });

  it('refuses in place, saves, edits', async () => {
    const vm = await seedVm(t.deps, 'web-01');
    const { cookie, csrf } = await t.signIn('operator');
    const post = (path: string, fields: Array<[string, string]>) =>
      t.app.request(path, {
        method: 'POST',
        headers: {
          Cookie: cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'http://localhost',
        },
        body: new URLSearchParams([['_csrf', csrf], ...fields]),
      });
    const fields: Array<[string, string]> = [
      ['name', 'web'],
      ['virtual_machines', String(vm.vmId)],
      ['max_parallel_vms', '0'],
      ['retention_keep_daily', '7'],
      ['use_change_tracking', 'on'],
      ['is_active', 'on'],
      ['scheduled', 'on'],
      ['schedule_preset', 'weekly'],
      ['schedule_time', '23:30'],
      ['schedule_day_1', 'on'],
      ['schedule_day_4', 'on'],
      ['schedule_timezone', 'Europe/Paris'],
    ];
    const bad = await post('/backup-jobs/', fields);
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toMatch(/data-testid="error-max_parallel_vms">[^<]+</);
    expect(page).toContain('value="web"');
    expect(page).toMatch(/data-testid="selected-vm">web-01/);

    const good = await post(
      '/backup-jobs/',
      fields.map(([k, v]) => [k, k === 'max_parallel_vms' ? '2' : v]),
    );
    expect(good.status).toBe(303);
    const location = good.headers.get('location') as string;
    expect(location).toMatch(/^\/backup-jobs\/\d+$/);
    const job = await (await t.app.request(location, { headers: { Cookie: cookie } })).text();
    expect(job).toContain('chaque semaine le lundi et jeudi à 23:30 (Europe/Paris)');

    const edit = await (await t.app.request(`${location}/edit`, { headers: { Cookie: cookie } })).text();
    expect(edit).toContain('Modifier la tâche « web »');
    expect(edit).toMatch(/name="retention_keep_daily" type="number" value="7"/);
    expect(edit).toMatch(/name="max_parallel_vms" type="number" value="2"/);
    expect(edit).toMatch(new RegExp(`name="virtual_machines" value="${vm.vmId}" checked`));

    const viewer = await t.signIn('viewer');
    const list = await (await t.app.request('/backup-jobs/', { headers: { Cookie: viewer.cookie } })).text();
    expect(list).toContain('web');
    expect(list).not.toContain('data-testid="new-backup-job"');
    expect((await t.app.request('/backup-jobs/new', { headers: { Cookie: viewer.cookie } })).status).toBe(
      403,
    );
  });
});
