/**
 * Backup jobs across app restarts (real app processes on one PostgreSQL): slots missed while the app was down
 * give one `missed` run at start-up; a run whose process is SIGKILLed ends `failed` as interrupted, leaves no
 * snapshot, and the slot due meanwhile still runs once the interrupted run has ended.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup_jobs } from '../../src/db/schema.js';
import { fetchInventory } from '../../src/vsphere/index.js';
import { connect, putFile } from '../backup/support.js';
import { type Json, registerSimulator } from '../support/api-client.js';
import { killableApp } from '../support/killable-app.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('backup jobs when the app stops', () => {
  const app = killableApp({ BACKUP_JOB_SCHEDULER_INTERVAL_SECONDS: '1', JOB_CONCURRENCY: '1' });
  let esx: Simulator;
  const storageDir = mkdtempSync(path.join(tmpdir(), 'ebm-kill-jobs-'));

  beforeAll(async () => {
    esx = await startSimulator({ tls: false });
  });
  afterAll(async () => {
    await esx?.stop();
  });

  const runsOf = async (jobId: number) =>
    (await app.api.call('GET', `/api/backup-job-runs/?backup_job=${jobId}`)).body as Json[];
  const setNextRun = (jobId: number, at: Date) =>
    app.database.db.update(backup_jobs).set({ next_run_at: at }).where(eq(backup_jobs.id, jobId));
  const waitFor = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('timed out');
  };

  it('runs missed slots once at start-up; a killed run ends failed as interrupted and the next slot still runs', async () => {
    await app.start();
    const { call } = app.api;
    const serverId = await registerSimulator(app.api, 'esx', esx);
    const vmName = esx.vms[0] as string;
    const storage = await call('POST', '/api/storage-paths/', { name: 'local', path: storageDir });
    const vms = (await call('GET', `/api/virtual-machines/?search=${vmName}`)).body as Json[];
    const created = await call('POST', '/api/backup-jobs/', {
      name: 'nightly',
      virtual_machines: [vms[0]?.id],
      storage_path: storage.body.id,
      use_change_tracking: false,
      schedule: { preset: 'daily', time: '22:00', timezone: 'Europe/Paris' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const jobId = created.body.id as number;
    expect(created.body.schedule_description).toBe('tous les jours à 22:00 (Europe/Paris)');

    // Down for three days: three 22:00 slots missed, one run at start-up.
    await app.kill();
    await setNextRun(jobId, new Date(Date.now() - 3 * 86_400_000));
    await app.start();
    const missed = await waitFor(async () => {
      const runs = await runsOf(jobId);
      return runs[0] && runs[0].status !== 'running' ? runs : undefined;
    });
    await new Promise((r) => setTimeout(r, 2500)); // a few more scheduler passes: still one run
    expect(await runsOf(jobId)).toHaveLength(1);
    expect(missed[0]).toMatchObject({ trigger: 'missed', status: 'success' });
    const job = (await call('GET', `/api/backup-jobs/${jobId}/`)).body;
    expect(new Date(job.next_run_at as string).getTime()).toBeGreaterThan(Date.now());

    // A long backup, killed mid-run, with the slot coming due while the app is down.
    const client = await connect(esx);
    await putFile(client, esx, `${vmName}/disk1-flat.vmdk`, randomBytes(256 * 1024 * 1024));
    const started = await call('POST', `/api/backup-jobs/${jobId}/run/`);
    expect(started.status).toBe(201);
    await waitFor(async () => {
      const run = (await call('GET', `/api/backup-job-runs/${started.body.id}/progress/`)).body;
      // kill as soon as the VM backup reads: with warm worker threads 256 MiB takes about a second
      return (run.progress as number) > 0 ? run : undefined;
    });
    await app.kill();
    await setNextRun(jobId, new Date(Date.now() - 1000));
    await app.start();
    const killed = await waitFor(async () => {
      const run = (await call('GET', `/api/backup-job-runs/${started.body.id}/`)).body;
      return run.status !== 'running' ? run : undefined;
    });
    expect(killed).toMatchObject({ status: 'failed', error_code: 'interrupted' });
    expect(killed.error).toMatch(/interrompu/i);
    expect((killed.vm_results as Json[])[0]).toMatchObject({ status: 'failed', error_code: 'interrupted' });
    const after = await waitFor(async () => {
      const runs = await runsOf(jobId);
      return runs.length === 3 && runs[0]?.status !== 'running' ? runs[0] : undefined;
    }, 120_000);
    expect(after).toMatchObject({ status: 'success' });
    const snapshots = await waitFor(async () => {
      const vm = (await fetchInventory(client)).vms.find((v) => v.name === vmName);
      return vm?.snapshots.length === 0 ? 0 : undefined;
    });
    expect(snapshots).toBe(0);
    await client.logout();
    expect(serverId).toBeGreaterThan(0);
  }, 300_000);
});
