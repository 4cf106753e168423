/**
 * The backup jobs metrics on /api/metrics: jobs (all, active), runs by status, and per job its newest run's
 * status, start and next slot. No job runner: a run is started and cancelled before it begins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addServer, addStoragePath, removeStorageDirs } from '../backup/support.js';
import { apiClient } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('backup jobs metrics', () => {
  let t: TestApp;
  let sim: Simulator;
  beforeAll(async () => {
    [t, sim] = await Promise.all([createTestApp(), startSimulator({ tls: false })]);
    t.deps.jobs = { wake() {}, cancelled() {}, isCancellable: () => true };
  });
  afterAll(async () => {
    await t?.close();
    await sim?.stop();
    removeStorageDirs();
  });

  it('counts jobs and runs by status and gives each job its last run and next slot', async () => {
    const serverId = await addServer(t.deps, sim, 'esx');
    const storage = await addStoragePath(t.deps);
    const api = apiClient(
      (url, init) => Promise.resolve(t.app.request(url, init)),
      (await t.apiUser()).headers,
    );
    const body = { esxi_servers: [serverId], storage_path: storage.id };
    const nightly = await api.call('POST', '/api/backup-jobs/', {
      ...body,
      name: 'nightly',
      schedule: { preset: 'daily', time: '22:00', timezone: 'UTC' },
    });
    await api.call('POST', '/api/backup-jobs/', { ...body, name: 'spare', is_active: false });
    const run = await api.call('POST', `/api/backup-jobs/${nightly.body.id}/run/`);
    expect((await api.call('POST', `/api/backup-job-runs/${run.body.id}/cancel/`)).body.status).toBe(
      'cancelled',
    );

    const text = await (await t.app.request('/api/metrics')).text();
    expect(text).toMatch(/^esxi_backup_jobs_total 2$/m);
    expect(text).toMatch(/^esxi_backup_jobs_active 1$/m);
    expect(text).toMatch(/^esxi_backup_job_runs_total\{status="cancelled"\} 1$/m);
    expect(text).toMatch(/^esxi_backup_job_runs_total\{status="success"\} 0$/m);
    const labels = `id="${nightly.body.id}",backup_job="nightly"`;
    expect(text).toContain(`esxi_backup_job_last_run_status{${labels}} 3`);
    expect(text).toMatch(new RegExp(`esxi_backup_job_last_run_timestamp_seconds\\{${labels}\\} \\d+`));
    const next = Date.parse(nightly.body.next_run_at as string) / 1000;
    expect(text).toContain(`esxi_backup_job_next_run_timestamp_seconds{${labels}} ${next}`);
    expect(text).not.toContain('backup_job="spare"');
  });
});
