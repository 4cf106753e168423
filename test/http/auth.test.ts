import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countUsers } from '../../src/db/users.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const form = (fields: Record<string, string>, cookie?: string) => ({
  method: 'POST',
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    Origin: 'http://localhost',
    ...(cookie ? { Cookie: cookie } : {}),
  },
  body: new URLSearchParams(fields),
});

describe('sign-in', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('sends the first visitor to the first-admin form, in French by default', async () => {
    const home = await t.app.request('/');
    expect(home.status).toBe(302);
    const login = await t.app.request(home.headers.get('location') as string);
    expect(login.headers.get('location')).toBe('/setup');
    const setup = await (await t.app.request('/setup')).text();
    expect(setup).toContain('Créer le premier administrateur');
  });

  it('creates the first admin, signs them in, then closes the setup form', async () => {
    const res = await t.app.request(
      '/setup',
      form({ username: 'alice', password: 'correct-horse', password_confirm: 'correct-horse' }),
    );
    expect(res.status).toBe(303);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    const home = await (await t.app.request('/', { headers: { Cookie: cookie } })).text();
    expect(home).toContain('Tableau de bord');
    expect(home).toContain('alice');
    expect((await t.app.request('/setup')).headers.get('location')).toBe('/login');
    const again = await t.app.request(
      '/setup',
      form({ username: 'mallory', password: 'correct-horse', password_confirm: 'correct-horse' }),
    );
    expect(again.headers.get('location')).toBe('/login');
    expect(await countUsers(t.database.db)).toBe(1);
  });

  it('shows field errors in place when the setup passwords differ', async () => {
    const res = await t.app.request(
      '/setup',
      form({ username: 'alice', password: 'correct-horse', password_confirm: 'other-horse' }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Les mots de passe ne correspondent pas.');
    expect(html).toContain('value="alice"');
  });

  it('refuses a wrong password with a message and no session', async () => {
    const { username } = await t.signIn('viewer');
    const res = await t.app.request('/login', form({ username, password: 'nope-nope' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('set-cookie') ?? '').not.toMatch(/ebm_session/);
    expect(await res.text()).toContain('Identifiant ou mot de passe incorrect.');
  });

  it('speaks English to a browser that prefers it', async () => {
    const { cookie } = await t.signIn();
    const html = await (
      await t.app.request('/servers/', {
        headers: { Cookie: cookie, 'Accept-Language': 'en-US,en;q=0.9,fr;q=0.5' },
      })
    ).text();
    expect(html).toContain('ESXi servers');
    expect(html).toContain('Sign out');
  });

  it('refuses a form posted without the CSRF token', async () => {
    const { cookie, csrf } = await t.signIn();
    expect(csrf).not.toBe('');
    const without = await t.app.request('/storage-paths/', form({ name: 'x', path: '/tmp/x' }, cookie));
    expect(without.status).toBe(403);
    const foreign = await t.app.request('/storage-paths/', {
      ...form({ name: 'x', path: '/tmp/x', _csrf: csrf }, cookie),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://evil.example',
        Cookie: cookie,
      },
    });
    expect(foreign.status).toBe(403);
  });

  it('signs out: the old cookie no longer opens pages', async () => {
    const { cookie, csrf } = await t.signIn();
    const out = await t.app.request('/logout', form({ _csrf: csrf }, cookie));
    expect(out.headers.get('location')).toBe('/login');
    expect((await t.app.request('/', { headers: { Cookie: cookie } })).status).toBe(302);
  });

  it('hides the Admin section from non-admins and forbids its pages', async () => {
    const { cookie } = await t.signIn('operator');
    const home = await (await t.app.request('/', { headers: { Cookie: cookie } })).text();
    expect(home).not.toContain('id="admin-nav"');
    expect((await t.app.request('/storage-paths/', { headers: { Cookie: cookie } })).status).toBe(403);
    const admin = await t.signIn('admin');
    expect(await (await t.app.request('/', { headers: { Cookie: admin.cookie } })).text()).toContain(
      'id="admin-nav"',
    );
  });
});

describe('API authentication', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers 401 JSON without a token, in the language asked', async () => {
    const res = await t.app.request('/api/esxi-servers/');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      status: 401,
      code: 'not_authenticated',
      message: 'Authentification requise : fournissez un jeton (Authorization: Token …).',
    });
    const english = await t.app.request('/api/esxi-servers/', { headers: { 'Accept-Language': 'en' } });
    expect(await english.json()).toEqual({
      status: 401,
      code: 'not_authenticated',
      message: 'Authentication credentials were not provided (Authorization: Token …).',
    });
  });

  it('issues a token for a username and password, which then opens the API', async () => {
    const { username, password } = await t.signIn('viewer');
    const bad = await t.app.request('/api/auth/token/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: 'wrong' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      code: 'bad_credentials',
      message: 'Impossible de se connecter avec ces identifiants.',
    });
    const res = await t.app.request('/api/auth/token/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const { token } = (await res.json()) as { token: string };
    expect(token).toMatch(/^[\w-]{40,}$/);
    const list = await t.app.request('/api/esxi-servers/', { headers: { Authorization: `Token ${token}` } });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual([]);
    expect(
      (await t.app.request('/api/esxi-servers/', { headers: { Authorization: 'Token forged' } })).status,
    ).toBe(401);
  });

  it('stores tokens hashed, never as issued', async () => {
    const { token } = await t.apiUser();
    const rows = await t.database.db.query.api_tokens.findMany();
    expect(rows.map((r) => r.key_hash)).not.toContain(token);
  });

  it('forbids a viewer to register a server (403) and answers 400 with field messages to bad input', async () => {
    const viewer = await t.apiUser('viewer');
    const denied = await t.app.request('/api/esxi-servers/', {
      method: 'POST',
      headers: viewer.headers,
      body: '{}',
    });
    expect(denied.status).toBe(403);
    const admin = await t.apiUser('admin');
    const res = await t.app.request('/api/esxi-servers/', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({
        name: '',
        hostname: 'https://esx/',
        port: 70000,
        protocol: 'ftp',
        username: 'root',
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { status: number; errors: Record<string, string[]> };
    expect(body.status).toBe(400);
    expect(Object.keys(body.errors).sort()).toEqual(['hostname', 'name', 'password', 'port', 'protocol']);
    const malformed = await t.app.request('/api/esxi-servers/', {
      method: 'POST',
      headers: admin.headers,
      body: '{',
    });
    expect(malformed.status).toBe(400);
  });

  it('lets the metrics-free health check through without auth', async () => {
    expect(await (await t.app.request('/healthz')).json()).toEqual({ status: 'ok', database: 'postgres' });
  });
});
