/**
 * Two app processes on one PostgreSQL, both running the backup job scheduler every second: a due slot gives
 * exactly one run, and `next_run_at` moves to the schedule's next slot.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup_jobs } from '../../src/db/schema.js';
import { nextRun } from '../../src/schedule/index.js';
import { adminHeaders, apiClient, fetchOn, type Json, registerSimulator } from '../support/api-client.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('a backup job slot with two app processes', () => {
  let database: TestDatabase;
  let esx: Simulator;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    [database, esx] = await Promise.all([createTestDatabase(), startSimulator({ tls: false })]);
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop().catch(() => a.kill())));
    await esx?.stop();
    await database?.drop();
  });

  it('runs once, whichever process claims it', async () => {
    const headers = await adminHeaders(database.db);
    const env = (n: number) => ({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), `ebm-two-${n}-`)),
      APP_SECRET: 'two-processes-secret-two-processes-secret-0123',
      INVENTORY_SYNC_INTERVAL_SECONDS: '0',
      BACKUP_JOB_SCHEDULER_INTERVAL_SECONDS: '1',
    });
    apps.push(await startApp(env(1)));
    apps.push(await startApp(env(2)));
    const api = apiClient(
      fetchOn(() => (apps[0] as AppProcess).url),
      headers,
    );
    await registerSimulator(api, 'esx', esx);
    const storage = await api.call('POST', '/api/storage-paths/', {
      name: 'local',
      path: mkdtempSync(path.join(tmpdir(), 'ebm-two-store-')),
    });
    const vms = (await api.call('GET', '/api/virtual-machines/')).body as Json[];
    const schedule = { preset: 'daily' as const, time: '03:00', timezone: 'UTC' };
    const created = await api.call('POST', '/api/backup-jobs/', {
      name: 'shared',
      virtual_machines: [vms[0]?.id],
      storage_path: storage.body.id,
      schedule,
    });
    expect(created.status).toBe(201);
    const jobId = created.body.id as number;
    const slot = new Date(Date.now() - 500);
    await database.db.update(backup_jobs).set({ next_run_at: slot }).where(eq(backup_jobs.id, jobId));

    let runs: Json[] = [];
    for (let i = 0; i < 100; i++) {
      runs = (await api.call('GET', `/api/backup-job-runs/?backup_job=${jobId}`)).body as Json[];
      if (runs[0] && runs[0].status !== 'running') break;
      await new Promise((r) => setTimeout(r, 300));
    }
    await new Promise((r) => setTimeout(r, 3000)); // several passes of both schedulers
    runs = (await api.call('GET', `/api/backup-job-runs/?backup_job=${jobId}`)).body as Json[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'success' });
    const job = (await api.call('GET', `/api/backup-jobs/${jobId}/`)).body;
    expect(job.next_run_at).toBe(nextRun(schedule, new Date())?.toISOString());
    const both = apps.map((a) => a.logs()).filter((l) => l.includes('scheduled backup job run queued'));
    expect(both).toHaveLength(1);
  }, 180_000);
});
