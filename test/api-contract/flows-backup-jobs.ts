/**
 * @module test/api-contract/flows-backup-jobs: contract calls for backup jobs and their runs. No job runner runs:
 * a run stays queued until it is cancelled.
 */
import { expect } from 'vitest';
import type { Contract } from './support.js';

interface Ids {
  source: number;
  vm: { id: number };
  storage: number;
}

/** Backup jobs CRUD, run now, selection, runs, progress and cancel. */
export async function backupJobFlow({ call, roles }: Contract, ids: Ids): Promise<void> {
  const base = '/api/backup-jobs/';
  const detail = `${base}{id}/`;
  const body = {
    name: 'nightly',
    esxi_servers: [ids.source],
    include_patterns: ['*'],
    storage_path: ids.storage,
    retention: { keep_last: 3 },
    schedule: { preset: 'daily', time: '22:00', timezone: 'Europe/Paris' },
  };
  await call('POST', base, { body, as: roles.viewer, status: 403 });
  const noSelection = await call('POST', base, { body: { name: 'x' }, as: roles.operator, status: 400 });
  expect(Object.keys(noSelection.errors)).toEqual(['virtual_machines']);
  const badCron = { ...body, schedule: { preset: 'cron', cron: 'every day', timezone: 'UTC' } };
  const cron = await call('POST', base, { body: badCron, as: roles.operator, status: 400 });
  expect(Object.keys(cron.errors)).toEqual(['schedule']);
  const job = await call('POST', base, { body, as: roles.operator, status: 201 });
  expect(job.schedule_description).toBe('tous les jours à 22:00 (Europe/Paris)');
  expect(job.next_runs).toHaveLength(3);
  await call('POST', base, { body, as: roles.operator, status: 409 });
  await call('GET', base, { status: 200 });
  await call('GET', base, { query: 'page_size=1', status: 200 });
  await call('GET', detail, { params: { id: job.id }, status: 200 });
  await call('GET', detail, { params: { id: 999_999 }, status: 404 });
  const replaced = { ...body, virtual_machines: [ids.vm.id], esxi_servers: [], schedule: null };
  const put = await call('PUT', detail, {
    params: { id: job.id },
    body: replaced,
    as: roles.operator,
    status: 200,
  });
  expect(put).toMatchObject({ schedule: null, next_run_at: null, next_runs: [] });
  await call('PATCH', detail, {
    params: { id: job.id },
    body: { max_parallel_vms: 0 },
    as: roles.operator,
    status: 400,
  });
  await call('PATCH', detail, {
    params: { id: job.id },
    body: { description: 'every VM', skip_powered_off: true },
    as: roles.operator,
    status: 200,
  });
  const selection = await call('GET', `${detail}selection/`, { params: { id: job.id }, status: 200 });
  expect(selection.selected.map((v: { id: number }) => v.id)).toEqual([ids.vm.id]);

  const run = await call('POST', `${detail}run/`, {
    params: { id: job.id },
    as: roles.operator,
    status: 201,
  });
  expect(run).toMatchObject({ status: 'running', trigger: 'manual', vm_results: [] });
  await call('POST', `${detail}run/`, { params: { id: job.id }, as: roles.operator, status: 409 });
  await call('DELETE', detail, { params: { id: job.id }, as: roles.operator, status: 409 });
  const runs = '/api/backup-job-runs/';
  await call('GET', runs, { query: `backup_job=${job.id}&status=running`, status: 200 });
  await call('GET', runs, { query: 'status=done', status: 400 });
  await call('GET', `${runs}{id}/`, { params: { id: run.id }, status: 200 });
  await call('GET', `${runs}{id}/`, { params: { id: 999_999 }, status: 404 });
  await call('GET', `${runs}{id}/progress/`, { params: { id: run.id }, status: 200 });
  await call('POST', `${runs}{id}/cancel/`, { params: { id: run.id }, as: roles.viewer, status: 403 });
  const cancelled = await call('POST', `${runs}{id}/cancel/`, {
    params: { id: run.id },
    as: roles.operator,
    status: 200,
  });
  expect(cancelled.status).toBe('cancelled');
  await call('POST', `${runs}{id}/cancel/`, { params: { id: run.id }, as: roles.operator, status: 409 });
  await call('DELETE', detail, { params: { id: job.id }, as: roles.operator, status: 204 });
  await call('DELETE', detail, { params: { id: job.id }, as: roles.operator, status: 404 });
}
