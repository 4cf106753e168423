import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { esxi_servers } from '../../src/db/schema.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, unknown>;

describe('ESXi servers against two simulated hosts', () => {
  let https: Simulator;
  let http: Simulator;
  let t: TestApp;
  let headers: Record<string, string>;

  beforeAll(async () => {
    [https, http] = await Promise.all([
      startSimulator({ tls: true }),
      startSimulator({ tls: false, vms: 3 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([https?.stop(), http?.stop()]);
  });
  beforeEach(async () => {
    t = await createTestApp();
    headers = (await t.apiUser('admin')).headers;
  });
  afterEach(async () => {
    await t.close();
  });

  const register = (sim: Simulator, overrides: Json = {}) =>
    t.app.request('/api/esxi-servers/', {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: `esx-${sim.port}`,
        hostname: sim.hostname,
        port: sim.port,
        protocol: sim.protocol,
        username: sim.username,
        password: sim.password,
        ...overrides,
      }),
    });

  const get = async (path: string) =>
    (await t.app.request(path, { headers })).json() as Promise<Json & Json[]>;

  it('registers an HTTPS host, pins its certificate and lists every VM and datastore it has', async () => {
    const res = await register(https);
    expect(res.status).toBe(201);
    const server = (await res.json()) as Json;
    expect(server).toMatchObject({
      connection_status: 'connected',
      thumbprint: https.thumbprint,
      protocol: 'https',
      vm_count: https.vms.length,
    });
    expect(server.full_name).toMatch(/VMware ESXi/);
    const vms = (await get(`/api/virtual-machines/?esxi_server=${server.id}`)) as Json[];
    expect(vms.map((v) => v.name).sort()).toEqual([...https.vms].sort());
    expect(vms[0]).toMatchObject({ power_state: 'poweredOn', esxi_server: server.id });
    expect((vms[0] as { disks: unknown[] }).disks.length).toBeGreaterThan(0);
    const datastores = (await get(`/api/datastores/?esxi_server=${server.id}`)) as Json[];
    expect(datastores.map((d) => d.name)).toEqual(https.datastores.map((d) => d.name));
    expect(datastores[0]?.capacity_bytes).toBeGreaterThan(0);
  });

  it('registers an HTTP lab host beside it: both hosts’ VMs show, filters narrow them', async () => {
    expect((await register(https)).status).toBe(201);
    const res = await register(http);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ protocol: 'http', thumbprint: null, vm_count: 3 });
    const all = (await get('/api/virtual-machines/')) as Json[];
    expect(all).toHaveLength(https.vms.length + 3);
    expect(await get('/api/virtual-machines/?power_state=poweredOff')).toEqual([]);
    const one = (await get(
      `/api/virtual-machines/?search=${encodeURIComponent(http.vms[0] as string)}`,
    )) as Json[];
    expect(one.map((v) => v.name)).toContain(http.vms[0]);
    const bad = await t.app.request('/api/virtual-machines/?power_state=sideways', { headers });
    expect(bad.status).toBe(400);
  });

  it('refuses a wrong password with a message on the password field and saves nothing', async () => {
    const res = await register(https, { password: 'not-the-password' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: Record<string, string[]> };
    expect(body.code).toBe('invalid_input');
    expect(body.errors.password).toEqual(['L’hôte ESXi a refusé le nom d’utilisateur ou le mot de passe.']);
    expect(await get('/api/esxi-servers/')).toEqual([]);
  });

  it('refuses an unreachable host with a message on the hostname field', async () => {
    const res = await register(https, { port: 9 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Record<string, string[]> };
    expect(body.errors.hostname?.[0]).toMatch(/^Impossible de joindre l’hôte ESXi .*refusée/);
  });

  it('refuses a changed certificate until an admin trusts the new one', async () => {
    const first = await startSimulator({ tls: true });
    const created = (await (await register(first)).json()) as Json;
    await first.stop();
    const replaced = await startSimulator({ tls: true, port: first.port });
    try {
      expect(replaced.thumbprint).not.toBe(first.thumbprint);
      const sync = await t.app.request(`/api/esxi-servers/${created.id}/sync/`, { method: 'POST', headers });
      expect(sync.status).toBe(409);
      const error = (await sync.json()) as Json;
      expect(error.code).toBe('CertificateMismatch');
      expect(error.message).toContain(first.thumbprint as string);
      expect(error.message).toContain(replaced.thumbprint as string);
      expect(await get(`/api/esxi-servers/${created.id}/`)).toMatchObject({ connection_status: 'error' });
      const trusted = await t.app.request(`/api/esxi-servers/${created.id}/trust_certificate/`, {
        method: 'POST',
        headers,
      });
      expect(await trusted.json()).toMatchObject({ thumbprint: replaced.thumbprint });
      const again = await t.app.request(`/api/esxi-servers/${created.id}/sync/`, { method: 'POST', headers });
      expect(await again.json()).toEqual({
        vms: replaced.vms.length,
        datastores: replaced.datastores.length,
      });
    } finally {
      await replaced.stop();
    }
  });

  it('never returns, renders, logs or stores the password in clear', async () => {
    const created = (await (await register(https)).json()) as Json;
    const { cookie } = await t.signIn('admin');
    const outputs = [
      JSON.stringify(created),
      JSON.stringify(await get('/api/esxi-servers/')),
      JSON.stringify(await get(`/api/esxi-servers/${created.id}/`)),
      await (await t.app.request(`/servers/${created.id}`, { headers: { Cookie: cookie } })).text(),
      await (await t.app.request(`/servers/${created.id}/edit`, { headers: { Cookie: cookie } })).text(),
      t.logs(),
    ];
    for (const text of outputs) expect(text).not.toContain(https.password);
    expect(created).not.toHaveProperty('password');
    expect(created).not.toHaveProperty('password_encrypted');
    const [row] = await t.database.db
      .select()
      .from(esxi_servers)
      .where(eq(esxi_servers.id, created.id as number));
    expect(row?.password_encrypted).not.toContain(https.password);
    expect(t.deps.credentials.open(row?.password_encrypted as string)).toBe(https.password);
  });

  it('edits, tests, re-syncs and deletes a server', async () => {
    const created = (await (await register(https)).json()) as Json;
    const patched = await t.app.request(`/api/esxi-servers/${created.id}/`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ name: 'renamed', password: '' }),
    });
    expect(await patched.json()).toMatchObject({ name: 'renamed', connection_status: 'connected' });
    const test = await t.app.request(`/api/esxi-servers/${created.id}/test_connection/`, {
      method: 'POST',
      headers,
    });
    expect(await test.json()).toMatchObject({ ok: true });
    const wrong = await t.app.request(`/api/esxi-servers/${created.id}/`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ password: 'wrong-again' }),
    });
    expect(wrong.status).toBe(400);
    const del = await t.app.request(`/api/esxi-servers/${created.id}/`, { method: 'DELETE', headers });
    expect(del.status).toBe(204);
    expect(await get('/api/virtual-machines/')).toEqual([]);
    expect((await t.app.request(`/api/esxi-servers/${created.id}/`, { headers })).status).toBe(404);
  });

  it('shows a wrong password in place on the add-server page', async () => {
    const { cookie, csrf } = await t.signIn('admin');
    const res = await t.app.request('/servers/new', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://localhost',
        Cookie: cookie,
      },
      body: new URLSearchParams({
        _csrf: csrf,
        name: 'lab',
        hostname: https.hostname,
        port: String(https.port),
        protocol: 'https',
        username: https.username,
        password: 'bad-password',
        is_active: 'on',
      }),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('data-testid="error-password"');
    expect(html).toContain('value="lab"');
    expect(html).not.toContain('bad-password');
  });
});
