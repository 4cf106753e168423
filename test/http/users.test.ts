import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('users admin page', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['signIn']>>;
  const post = (path: string, fields: Record<string, string>) =>
    t.app.request(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://localhost',
        Cookie: admin.cookie,
      },
      body: new URLSearchParams({ _csrf: admin.csrf, ...fields }),
    });
  const login = (username: string, password: string) =>
    t.app.request('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
      body: new URLSearchParams({ username, password }),
    });

  beforeEach(async () => {
    t = await createTestApp();
    admin = await t.signIn('admin');
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates an operator who can sign in, and refuses a taken name in place', async () => {
    expect(
      (await post('/users/', { username: 'olga', password: 'operator-pass', role: 'operator' })).status,
    ).toBe(303);
    const taken = await post('/users/', { username: 'olga', password: 'operator-pass', role: 'viewer' });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('Ce nom d’utilisateur est déjà pris.');
    const res = await login('olga', 'operator-pass');
    expect(res.status).toBe(303);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const home = await (await t.app.request('/', { headers: { Cookie: cookie } })).text();
    expect(home).toContain('olga (opérateur)');
  });

  it('deactivates a user: their session ends and they cannot sign in again', async () => {
    await post('/users/', { username: 'vic', password: 'viewer-pass', role: 'viewer' });
    const cookie = ((await login('vic', 'viewer-pass')).headers.get('set-cookie') ?? '').split(
      ';',
    )[0] as string;
    const vic = await t.database.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, 'vic') });
    const id = vic?.id;
    const list = await (await t.app.request('/users/', { headers: { Cookie: admin.cookie } })).text();
    expect(list).toContain(`action="/users/${id}"`);
    expect((await post(`/users/${id}`, { role: 'viewer', is_active: 'false' })).status).toBe(303);
    expect((await t.app.request('/', { headers: { Cookie: cookie } })).status).toBe(302);
    expect((await login('vic', 'viewer-pass')).status).toBe(400);
  });

  it('is for admins only', async () => {
    const viewer = await t.signIn('viewer');
    expect((await t.app.request('/users/', { headers: { Cookie: viewer.cookie } })).status).toBe(403);
  });
});
