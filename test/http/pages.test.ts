import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('pages', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie } = await t.signIn('admin'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers every sidebar entry, with and without the trailing slash', async () => {
    const home = await (await t.app.request('/', { headers: { Cookie: cookie } })).text();
    const links = [...home.matchAll(/<li><a href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(links).toContain('/servers/');
    expect(links).toContain('/storage-paths/');
    for (const link of links) {
      for (const path of [link, link.length > 1 ? link.replace(/\/$/, '') : link]) {
        const res = await t.app.request(path, { headers: { Cookie: cookie } });
        expect(res.status, path).toBe(200);
      }
    }
  });

  it('shows the effective settings without secrets', async () => {
    const html = await (await t.app.request('/settings', { headers: { Cookie: cookie } })).text();
    expect(html).toContain('JOB_CONCURRENCY');
    expect(html).toContain('PostgreSQL');
    expect(html).not.toContain(t.deps.config.appSecret);
    expect(html).not.toMatch(/postgres:\/\/[^"<]*@/);
  });

  it('serves htmx and the styles locally', async () => {
    for (const path of [
      '/static/vendor/htmx.min.js',
      '/static/vendor/pico.min.css',
      '/static/app.css',
      '/static/app.js',
    ]) {
      expect((await t.app.request(path)).status, path).toBe(200);
    }
    const home = await (await t.app.request('/', { headers: { Cookie: cookie } })).text();
    expect(home).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('answers an unknown page with a 404 page and an unknown API path with JSON', async () => {
    const page = await t.app.request('/nowhere', { headers: { Cookie: cookie } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Page introuvable.');
    const api = await t.app.request('/api/nowhere/', { headers: { Cookie: cookie } });
    expect(await api.json()).toEqual({
      status: 404,
      code: 'not_found',
      message: 'Aucune opération de l’API à cette adresse.',
    });
  });

  it('adds a storage path through the admin page and shows a bad one’s error in place', async () => {
    const session = await t.signIn('admin');
    const post = (fields: Record<string, string>) =>
      t.app.request('/storage-paths/', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'http://localhost',
          Cookie: session.cookie,
        },
        body: new URLSearchParams({ _csrf: session.csrf, ...fields }),
      });
    const bad = await post({ name: 'nas', path: 'relative/dir' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('data-testid="error-path"');
    const dir = `/tmp/ebm-storage-${process.pid}-${Date.now()}`;
    const ok = await post({ name: 'nas', path: dir });
    expect(ok.status).toBe(303);
    const list = await (await t.app.request('/storage-paths/', { headers: { Cookie: cookie } })).text();
    expect(list).toContain(dir);
  });
});
