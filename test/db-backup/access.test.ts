/** Who may use the database backup: admins only (403 for operators and viewers), one backup at a time, no path traversal. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('database backup access', () => {
  let t: TestApp;
  const dir = mkdtempSync(path.join(tmpdir(), 'ebm-dbb-access-'));
  const name = 'backup_x_20260122_143025.sql.gz';

  beforeAll(async () => {
    writeFileSync(path.join(dir, name), 'not really gzip');
    writeFileSync(path.join(tmpdir(), 'secret.sql.gz'), 'secret');
    t = await createTestApp({ DB_BACKUP_DIR: dir });
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (session: { cookie: string; csrf: string }, method: string, url: string) =>
    t.app.request(url, {
      method,
      headers: {
        Cookie: session.cookie,
        'X-CSRF-Token': session.csrf,
        'HX-Request': 'true',
        Origin: 'http://localhost',
      },
    });

  it('refuses operators and viewers (403) and hides the button from them', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const s = await t.signIn(role);
      expect((await call(s, 'POST', '/backup/start/')).status).toBe(403);
      expect((await call(s, 'GET', '/backup/progress?job=1')).status).toBe(403);
      expect((await call(s, 'GET', '/backup/result?job=1')).status).toBe(403);
      expect((await call(s, 'GET', '/db-backups/')).status).toBe(403);
      expect((await call(s, 'GET', `/db-backups/${name}`)).status).toBe(403);
      const page = await (await t.app.request('/', { headers: { Cookie: s.cookie } })).text();
      expect(page).not.toContain('db-backup-button');
      expect(page).not.toContain('/db-backups/');
    }
  });

  it('lets an admin list and download, refuses names outside the directory, starts one backup at a time', async () => {
    const s = await t.signIn('admin');
    const page = await (await t.app.request('/', { headers: { Cookie: s.cookie } })).text();
    expect(page).toContain('id="db-backup-button"');
    expect(page).toContain('hx-post="/backup/start"');
    expect(await (await call(s, 'GET', '/db-backups')).text()).toContain(name);
    const file = await call(s, 'GET', `/db-backups/${name}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    expect(await file.text()).toBe('not really gzip');
    for (const bad of [
      '..%2Fsecret.sql.gz',
      '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      'backup_x_20260122_143025.json',
    ])
      expect((await call(s, 'GET', `/db-backups/${bad}`)).status).toBe(404);

    // No runner here: the first job stays PENDING, so the second trigger must show it, not start another.
    const first = await (await call(s, 'POST', '/backup/start')).text();
    const second = await (await call(s, 'POST', '/backup/start')).text();
    const id = (html: string) => /data-job-id="(\d+)"/.exec(html)?.[1];
    expect(id(first)).toBeDefined();
    expect(id(second)).toBe(id(first));
    expect(first).toContain(`hx-get="/backup/progress?job=${id(first)}"`);
    expect(first).toContain('hx-trigger="every 500ms"');
    const progress = await call(s, 'GET', `/backup/progress?job=${id(first)}`);
    expect(progress.headers.get('hx-trigger')).toBeNull();
  });
});
