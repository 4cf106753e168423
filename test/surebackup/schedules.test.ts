/** @module test/surebackup/schedules: verification schedules: CRUD, next run, and runs claimed once (after_backup, timed). */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verification_schedules } from '../../src/db/schema.js';
import { runSchedulerPass } from '../../src/surebackup/index.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, unknown>;

describe('verification schedules', () => {
  let esx: Simulator;
  let t: TestApp;
  let headers: Record<string, string>;
  let serverId: number;
  let vmId: number;
  let storageId: number;

  /** One API call, in the language `lang` (Accept-Language). */
  const call = async (method: string, url: string, body?: unknown, lang = 'fr') => {
    const res = await t.app.request(url, {
      method,
      headers: { ...headers, 'Accept-Language': lang },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Json & Json[] };
  };
  const until = async (url: string, done: (s: Json) => boolean, timeout = 30_000) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const state = (await call('GET', url)).body;
      if (done(state) || Date.now() > deadline) return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const backUp = async () => {
    const created = await call('POST', '/api/vm-backups/', {
      virtual_machine: vmId,
      storage_path: storageId,
    });
    return until(`/api/vm-backups/${created.body.id}/`, (s) => s.status === 'COMPLETED');
  };
  const ofSchedule = async (id: number) =>
    ((await call('GET', '/api/backup-verifications/')).body as Json[]).filter((v) => v.schedule === id);

  beforeAll(async () => {
    esx = await startSimulator({ tls: false });
    const client = await connect(esx);
    await putFile(client, esx, `${esx.vms[0]}/disk1-flat.vmdk`, randomBytes(256 * 1024));
    await client.logout();
    t = await createTestApp({ VERIFICATION_NO_TOOLS_GRACE_SECONDS: '1' }, { runner: true });
    headers = (await t.apiUser('operator')).headers;
    serverId = await addServer(t.deps, esx, 'esx');
    storageId = (await addStoragePath(t.deps)).id;
    vmId = ((await call('GET', `/api/virtual-machines/?search=${esx.vms[0]}`)).body[0] as Json).id as number;
  });
  afterEach(async () => {
    await t.deps.db.delete(verification_schedules);
  });
  afterAll(async () => {
    await t?.close();
    await esx?.stop();
    removeStorageDirs();
  });

  it('creates, lists, toggles and deletes schedules, with next_run_at computed', async () => {
    const weekly = await call('POST', '/api/verification-schedules/', {
      name: 'Vérification hebdomadaire DB',
      virtual_machine: vmId,
      esxi_server: serverId,
      frequency: 'weekly',
      test_type: 'boot_ping_services',
      is_active: true,
    });
    expect(weekly.status).toBe(201);
    const next = new Date(weekly.body.next_run_at as string);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getDay()).toBe(0);
    const off = await call('PATCH', `/api/verification-schedules/${weekly.body.id}/`, { is_active: false });
    expect(off.body).toMatchObject({ is_active: false, next_run_at: null });
    const ids = async () =>
      ((await call('GET', '/api/verification-schedules/')).body as Json[]).map((s) => s.id);
    expect(await ids()).toContain(weekly.body.id);
    const bad = await call('POST', '/api/verification-schedules/', {
      name: 'x',
      esxi_server: serverId,
      frequency: 'hourly',
      test_datastore: 'nowhere',
    });
    expect(Object.keys(bad.body.errors as Json)).toEqual(['frequency']);
    const ds = await call('POST', '/api/verification-schedules/', {
      name: 'x',
      esxi_server: serverId,
      frequency: 'daily',
      test_datastore: 'nowhere',
    });
    expect(ds.body).toMatchObject({
      status: 400,
      code: 'invalid_input',
      errors: { test_datastore: ['Le datastore nowhere n’est pas sur esx.'] },
    });
    const vm = await call(
      'PUT',
      `/api/verification-schedules/${weekly.body.id}/`,
      { virtual_machine: 999_999 },
      'en',
    );
    expect(vm.body).toMatchObject({
      code: 'invalid_input',
      errors: { virtual_machine: ['Virtual machine 999999 does not exist.'] },
    });
    expect((await call('DELETE', `/api/verification-schedules/${weekly.body.id}/`)).status).toBe(204);
    expect(await ids()).not.toContain(weekly.body.id);
    const gone = await call(
      'PATCH',
      `/api/verification-schedules/${weekly.body.id}/`,
      { is_active: true },
      'en',
    );
    expect(gone).toMatchObject({
      status: 404,
      body: { code: 'not_found', message: `Schedule ${weekly.body.id} does not exist.` },
    });
    expect((await call('GET', '/api/verification-schedules/x1/')).status).toBe(404);
  });

  it("re-renders the schedule form with the field error in the reader's language", async () => {
    const operator = await t.signIn('operator');
    const post = (lang: string, fields: Record<string, string>) =>
      t.app.request('/surebackup/schedules', {
        method: 'POST',
        headers: {
          Cookie: operator.cookie,
          'Accept-Language': lang,
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'http://localhost',
        },
        body: new URLSearchParams({
          _csrf: operator.csrf,
          name: 'Test DR mensuel',
          virtual_machine: '',
          esxi_server: String(serverId),
          frequency: 'monthly',
          test_type: 'boot_ping_services',
          test_network: 'VM Network Isolated',
          ...fields,
        }),
      });
    const fr = await post('fr', { test_datastore: 'nowhere' });
    expect(fr.status).toBe(400);
    expect(await fr.text()).toContain('Le datastore nowhere n’est pas sur esx.');
    const en = await post('en', { test_datastore: 'nowhere' });
    expect(await en.text()).toContain('The datastore nowhere is not on esx.');
    const ok = await post('fr', { test_datastore: '' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Test DR mensuel');
  });

  it('verifies each completed backup once for an after_backup schedule, even with concurrent passes', async () => {
    const schedule = await call('POST', '/api/verification-schedules/', {
      name: 'Auto-vérification',
      virtual_machine: null,
      esxi_server: serverId,
      frequency: 'after_backup',
      test_type: 'boot',
    });
    expect(schedule.body).toMatchObject({ frequency: 'after_backup', next_run_at: null });
    const id = schedule.body.id as number;
    const backup = await backUp();
    const passes = await Promise.all([
      runSchedulerPass(t.deps),
      runSchedulerPass(t.deps),
      runSchedulerPass(t.deps),
    ]);
    expect(passes.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await runSchedulerPass(t.deps)).toBe(0);
    const [v] = await ofSchedule(id);
    expect(v).toMatchObject({ vm_backup: backup.id, test_type: 'boot' });
    const done = await until(`/api/backup-verifications/${v?.id}/`, (s) => s.status === 'passed');
    expect(done.status).toBe('passed');
    expect(await ofSchedule(id)).toHaveLength(1);
  });

  it('fires a due timed schedule once and moves next_run_at forward', async () => {
    await backUp();
    const daily = await call('POST', '/api/verification-schedules/', {
      name: 'Vérification quotidienne rapide',
      esxi_server: serverId,
      frequency: 'daily',
      test_type: 'boot',
    });
    const id = daily.body.id as number;
    await t.deps.db
      .update(verification_schedules)
      .set({ next_run_at: new Date(Date.now() - 1000) })
      .where(eq(verification_schedules.id, id));
    const passes = await Promise.all([runSchedulerPass(t.deps), runSchedulerPass(t.deps)]);
    expect(passes.reduce((a, b) => a + b, 0)).toBe(1);
    const after = (await call('GET', `/api/verification-schedules/${id}/`)).body;
    expect(new Date(after.next_run_at as string).getTime()).toBeGreaterThan(Date.now());
    expect(after.last_run_at).not.toBeNull();
    const [v] = await ofSchedule(id);
    await until(`/api/backup-verifications/${v?.id}/`, (s) => s.status === 'passed');
  });
});
