/**
 * The protection view: which VMs no active job covers, and per VM whether its last good restore point is as
 * new as its job's schedule requires (RPO met or missed), on the dashboard and the VM list, in French.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmProtection } from '../../src/backup-jobs/index.js';
import { backup_jobs } from '../../src/db/schema.js';
import { removeStorageDirs } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createJob, type JobsWorld, jobsWorld, runToEnd } from './support.js';

describe('protection by backup jobs', () => {
  let sim: Simulator;
  let t: TestApp;
  let w: JobsWorld;
  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 3 });
    t = await createTestApp({}, { runner: true });
    w = await jobsWorld(t, sim);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.stop();
    removeStorageDirs();
  });

  it('shows the VMs no active job covers and the RPO met or missed per VM', async () => {
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString().slice(11, 16);
    const schedule = { preset: 'daily', time: threeHoursAgo, timezone: 'UTC' };
    const vm = (name: string) => w.vms[name] as number;
    const done = await createJob(w, { name: 'A', virtual_machines: [vm('ha-host_VM0')], schedule });
    const never = await createJob(w, { name: 'B', virtual_machines: [vm('ha-host_VM1')], schedule });
    await createJob(w, { name: 'off', virtual_machines: [vm('ha-host_VM2')], is_active: false });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    for (const id of [done.id, never.id])
      await t.deps.db
        .update(backup_jobs)
        .set({ created_at: twoDaysAgo })
        .where(eq(backup_jobs.id, id as number));
    expect((await runToEnd(w, done.id as number)).status).toBe('success');

    const protection = await vmProtection(t.deps.db);
    expect(protection.get(vm('ha-host_VM0'))).toMatchObject({ jobs: ['A'], rpo_met: true });
    expect(protection.get(vm('ha-host_VM1'))).toMatchObject({ jobs: ['B'], rpo_met: false, last_good: null });
    expect(protection.has(vm('ha-host_VM2'))).toBe(false);

    const { cookie } = await t.signIn('viewer');
    const dashboard = await (await t.app.request('/', { headers: { Cookie: cookie } })).text();
    expect(dashboard).toMatch(
      /data-testid="unprotected-vms"><strong>VM non protégées \(1\)<\/strong> : ha-host_VM2/,
    );
    expect(dashboard).toMatch(/data-testid="rpo-missed">RPO manqué \(1\) : ha-host_VM1</);
    const list = await (await t.app.request('/virtual-machines/', { headers: { Cookie: cookie } })).text();
    const cells = [...list.matchAll(/data-testid="vm-protection">(.*?)<\/div>/g)].map((m) =>
      m[1]?.replace(/<[^>]+>/g, ''),
    );
    expect(cells[0]).toMatch(/^A RPO respectédernier point : (il y a \d+ secondes?|maintenant)$/);
    expect(cells[1]).toBe('B RPO manquéaucun point');
    expect(cells[2]).toBe('non protégée');

    const metrics = await (await t.app.request('/api/metrics')).text();
    expect(metrics).toContain('esxi_vm_protected{server="esx-a",vm="ha-host_VM0"} 1');
    expect(metrics).toContain('esxi_vm_protected{server="esx-a",vm="ha-host_VM2"} 0');
    expect(metrics).toContain('esxi_vm_rpo_met{server="esx-a",vm="ha-host_VM0"} 1');
    expect(metrics).toContain('esxi_vm_rpo_met{server="esx-a",vm="ha-host_VM1"} 0');
    expect(metrics).not.toContain('esxi_vm_rpo_met{server="esx-a",vm="ha-host_VM2"}');
  });
});
