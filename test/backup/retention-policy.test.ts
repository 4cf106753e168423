/**
 * Per-VM retention with Proxmox Backup Server's prune rules (issue 12 item 6), on real PostgreSQL and real
 * index files: the policy set through the API, `applyRetention` removing what the rules remove (rows and
 * index files), the last restore point that completed well kept whatever the rules say, failed runs never
 * touched, the default (`keep_last` = BACKUP_RETENTION_COUNT), the API's 400s, and the VM page's form.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention, planRetention } from '../../src/backup/index.js';
import { getBackup } from '../../src/db/backups.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { addPoint, seedVm } from './retention-fixture.js';
import { removeStorageDirs } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: API answers, read freely after their status is checked
type Json = any;

/** 2026-03-<day> at <hour>:00, local time (prune's days are the process's local days). */
const at = (day: number, hour: number) => new Date(2026, 2, day, hour);
const NONE = { keep_last: 0, keep_hourly: 0, keep_daily: 0, keep_weekly: 0, keep_monthly: 0, keep_yearly: 0 };

describe('per-VM retention', () => {
  let t: TestApp;
  let operator: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ BACKUP_RETENTION_COUNT: '3' });
    operator = (await t.apiUser('operator')).headers;
  });
  afterAll(async () => {
    await t?.close();
    removeStorageDirs();
  });

  const api = async (method: string, url: string, body?: unknown, headers = operator) => {
    const res = await t.app.request(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const retention = (vmId: number) => `/api/virtual-machines/${vmId}/retention/`;

  it('keep_daily keeps the newest point of each of the N newest days, and removes the rest with their index', async () => {
    const vm = await seedVm(t.deps, 'vm-daily');
    const failed = await addPoint(t.deps, vm, { at: at(1, 9), status: 'FAILED' });
    const d1a = await addPoint(t.deps, vm, { at: at(1, 10) });
    const d1b = await addPoint(t.deps, vm, { at: at(1, 18) });
    const d2 = await addPoint(t.deps, vm, { at: at(2, 9) });
    const d3 = await addPoint(t.deps, vm, { at: at(3, 12), verification: 'ok' });
    const d4a = await addPoint(t.deps, vm, { at: at(4, 8) });
    const d4b = await addPoint(t.deps, vm, { at: at(4, 20) });
    const cancelled = await addPoint(t.deps, vm, { at: at(5, 1), status: 'CANCELLED' });

    const put = await api('PUT', retention(vm.vmId), { keep_daily: 3 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ retention: { ...NONE, keep_daily: 3 }, retention_is_default: false });

    const plan = await planRetention(t.deps.db, { virtualMachineId: vm.vmId, keep: 3 });
    expect(plan.points.map((p) => [p.backup.id, p.mark])).toEqual([
      [d4b.id, 'keep'],
      [d4a.id, 'remove'],
      [d3.id, 'keep'],
      [d2.id, 'keep'],
      [d1b.id, 'remove'],
      [d1a.id, 'remove'],
    ]);
    expect(await applyRetention(t.deps, { virtualMachineId: vm.vmId, keep: 3 })).toEqual([
      d4a.id,
      d1b.id,
      d1a.id,
    ]);
    for (const gone of [d4a, d1b, d1a]) {
      expect(existsSync(gone.index ?? '')).toBe(false);
      expect(await getBackup(t.deps.db, gone.id)).toBeNull();
    }
    for (const kept of [d4b, d3, d2]) expect(existsSync(kept.index ?? '')).toBe(true);
    // Failed and cancelled runs are history: never counted, never removed.
    expect((await getBackup(t.deps.db, failed.id))?.status).toBe('FAILED');
    expect((await getBackup(t.deps.db, cancelled.id))?.status).toBe('CANCELLED');
    expect(await applyRetention(t.deps, { virtualMachineId: vm.vmId, keep: 3 })).toEqual([]);
  });

  it('never removes the last point that completed well, even when every newer one is corrupt', async () => {
    const vm = await seedVm(t.deps, 'vm-corrupt');
    const old = await addPoint(t.deps, vm, { at: at(1, 1), verification: 'ok' });
    const good = await addPoint(t.deps, vm, { at: at(2, 1) });
    const bad1 = await addPoint(t.deps, vm, { at: at(3, 1), verification: 'corrupt' });
    const bad2 = await addPoint(t.deps, vm, { at: at(4, 1), verification: 'corrupt' });
    expect((await api('PUT', retention(vm.vmId), { keep_last: 2 })).status).toBe(200);

    const plan = await planRetention(t.deps.db, { virtualMachineId: vm.vmId, keep: 3 });
    expect(plan.points.map((p) => p.mark)).toEqual(['keep', 'keep', 'protected', 'remove']);
    expect(await applyRetention(t.deps, { virtualMachineId: vm.vmId, keep: 3 })).toEqual([old.id]);
    expect(existsSync(good.index ?? '')).toBe(true);
    expect([bad1, bad2].every((p) => existsSync(p.index ?? ''))).toBe(true);
    expect(existsSync(old.index ?? '')).toBe(false);
  });

  it('uses keep_last = BACKUP_RETENTION_COUNT for a VM without a policy, and DELETE goes back to it', async () => {
    const vm = await seedVm(t.deps, 'vm-default');
    const points = [];
    for (let day = 1; day <= 5; day++) points.push(await addPoint(t.deps, vm, { at: at(day, 12) }));
    expect((await api('PUT', retention(vm.vmId), { keep_last: 5 })).status).toBe(200);
    expect(await applyRetention(t.deps, { virtualMachineId: vm.vmId, keep: 3 })).toEqual([]);

    const reset = await api('DELETE', retention(vm.vmId));
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ retention: { ...NONE, keep_last: 3 }, retention_is_default: true });
    const listed = await api('GET', '/api/virtual-machines/');
    expect(listed.body.find((v: { id: number }) => v.id === vm.vmId).retention_is_default).toBe(true);
    expect(await applyRetention(t.deps, { virtualMachineId: vm.vmId, keep: 3 })).toEqual([
      points[1]?.id,
      points[0]?.id,
    ]);
  });

  it('refuses a policy that is out of range or keeps nothing (400 with field messages), and checks the role', async () => {
    const vm = await seedVm(t.deps, 'vm-refused');
    const range = await api('PUT', retention(vm.vmId), {
      keep_daily: -1,
      keep_weekly: 1.5,
      keep_yearly: 10_001,
    });
    expect(range.status).toBe(400);
    expect(range.body.errors).toEqual({
      keep_daily: ['doit être un nombre entier de 0 à 10 000'],
      keep_weekly: ['doit être un nombre entier de 0 à 10 000'],
      keep_yearly: ['doit être un nombre entier de 0 à 10 000'],
    });
    const nothing = await api('PUT', retention(vm.vmId), { keep_last: 0 });
    expect(nothing.status).toBe(400);
    expect(nothing.body.errors).toEqual({ _: ['au moins une option doit être supérieure à 0'] });
    expect((await api('PUT', retention(vm.vmId), { keep_last: 1, keep_dayly: 2 })).status).toBe(400);
    expect((await api('PUT', retention(vm.vmId), { keep_last: '3' })).body.errors).toHaveProperty(
      'keep_last',
    );
    const viewer = (await t.apiUser('viewer')).headers;
    expect((await api('PUT', retention(vm.vmId), { keep_last: 1 }, viewer)).status).toBe(403);
    expect((await api('DELETE', retention(vm.vmId), undefined, viewer)).status).toBe(403);
    expect((await api('PUT', retention(999_999), { keep_last: 1 })).status).toBe(404);
    expect((await api('DELETE', retention(999_999))).status).toBe(404);
    expect((await api('GET', `/api/virtual-machines/${vm.vmId}/`)).body.retention_is_default).toBe(true);
  });

  it('shows the policy and its preview on the VM page, and saves it from the form (errors in place)', async () => {
    const vm = await seedVm(t.deps, 'vm-page');
    await addPoint(t.deps, vm, { at: at(1, 12) });
    await addPoint(t.deps, vm, { at: at(2, 12) });
    const { cookie, csrf } = await t.signIn('operator');
    const headers = {
      Cookie: cookie,
      'X-CSRF-Token': csrf,
      'HX-Request': 'true',
      Origin: 'http://localhost',
    };
    const page = await (await t.app.request(`/virtual-machines/${vm.vmId}`, { headers })).text();
    expect(page).toContain('Règle par défaut : les 3 dernières sauvegardes');
    expect(page.match(/data-testid="retention-mark">à conserver</g)).toHaveLength(2);

    const post = (fields: Record<string, string>, suffix = '') =>
      t.app.request(`/virtual-machines/${vm.vmId}/retention${suffix}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
    const bad = await post({ keep_last: '-2', keep_daily: '' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('data-testid="error-keep_last">doit être un nombre entier de 0 à 10 000');
    expect(badHtml).toContain('value="-2"');
    const empty = await (await post({ keep_last: '0', keep_daily: '' })).text();
    expect(empty).toContain('data-testid="retention-error">au moins une option doit être supérieure à 0');

    const saved = await post({ keep_last: '1', keep_daily: '' });
    expect(saved.status).toBe(200);
    const html = await saved.text();
    expect(html).toContain('Règle de rétention enregistrée.');
    expect(html).toContain('Règle propre à cette VM.');
    expect(html.match(/data-testid="retention-mark">(à conserver|à supprimer)</g)).toEqual([
      'data-testid="retention-mark">à conserver<',
      'data-testid="retention-mark">à supprimer<',
    ]);
    const reset = await (await post({}, '/reset')).text();
    expect(reset).toContain('Règle par défaut rétablie.');
    const viewer = await t.signIn('viewer');
    const refused = await t.app.request(`/virtual-machines/${vm.vmId}/retention`, {
      method: 'POST',
      headers: { Cookie: viewer.cookie, 'X-CSRF-Token': viewer.csrf, Origin: 'http://localhost' },
      body: new URLSearchParams({ keep_last: '1' }),
    });
    expect(refused.status).toBe(403);
  });
});
