/**
 * @module test/api-contract/flows-backups: contract calls for backups, restores, operations and SureBackup.
 * No job runner runs: a backup is marked COMPLETED in the database, as the runner would, to restore and
 * verify it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { jobs, vm_backups } from '../../src/db/schema.js';
import type { Contract } from './support.js';

interface Ids {
  source: number;
  vm: { id: number };
  datastore: string;
  storage: number;
}

/** Backups, restores and operations. @returns a COMPLETED backup's id. */
export async function backupFlow({ t, call, roles }: Contract, ids: Ids): Promise<number> {
  const base = '/api/vm-backups/';
  const body = { virtual_machine: ids.vm.id, storage_path: ids.storage };
  await call('POST', base, { body, as: roles.viewer, status: 403 });
  await call('POST', base, { body: { virtual_machine: 999_999 }, as: roles.operator, status: 400 });
  const first = await call('POST', base, { body, as: roles.operator, status: 201 });
  const cancelled = await call('POST', `${base}{id}/cancel/`, {
    params: { id: first.id },
    as: roles.operator,
    status: 200,
  });
  expect(cancelled.status).toBe('CANCELLED');
  const done = await call('POST', base, {
    body: { ...body, quiesce: true },
    as: roles.operator,
    status: 201,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'ebm-contract-backup-'));
  await t.deps.db
    .update(vm_backups)
    .set({ backup_dir: dir, size_bytes: 1, file_count: 1 })
    .where(eq(vm_backups.id, done.id));
  await t.deps.db
    .update(jobs)
    .set({ status: 'COMPLETED', progress: 100, finished_at: new Date() })
    .where(eq(jobs.id, done.job_id));
  expect(await call('GET', base, { query: 'status=COMPLETED', status: 200 })).toHaveLength(1);
  await call('GET', base, { query: `virtual_machine=${ids.vm.id}&page_size=1`, status: 200 });
  await call('GET', base, { query: 'status=DONE', status: 400 });
  await call('GET', `${base}{id}/`, { params: { id: done.id }, status: 200 });
  await call('GET', `${base}{id}/`, { params: { id: 999_999 }, status: 404 });

  const restore = { esxi_server: ids.source, datastore: ids.datastore, vm_name: 'contract-restore' };
  await call('POST', `${base}{id}/restore/`, {
    params: { id: first.id },
    body: restore,
    as: roles.operator,
    status: 400,
  });
  const restored = await call('POST', `${base}{id}/restore/`, {
    params: { id: done.id },
    body: restore,
    as: roles.operator,
    status: 201,
  });
  await call('GET', '/api/restores/', { query: `vm_backup=${done.id}`, status: 200 });
  await call('GET', '/api/restores/{id}/', { params: { id: restored.id }, status: 200 });
  await call('GET', '/api/restores/{id}/', { params: { id: 999_999 }, status: 404 });

  await call('GET', '/api/operations/', { status: 200 });
  await call('GET', '/api/operations/', { query: 'finished_within_seconds=-1', status: 400 });
  await call('GET', '/api/operations/{id}/', { params: { id: restored.job_id }, status: 200 });
  const cancel = '/api/operations/{id}/cancel/';
  const outcome = await call('POST', cancel, {
    params: { id: restored.job_id },
    as: roles.operator,
    status: 200,
  });
  expect(outcome.outcome).toBe('cancelled');
  await call('POST', cancel, { params: { id: restored.job_id }, as: roles.operator, status: 409 });
  await call('POST', cancel, { params: { id: 999_999 }, as: roles.operator, status: 404 });
  return done.id;
}

/** Verifications, statistics and schedules. */
export async function surebackupFlow({ call, roles }: Contract, ids: Ids, backup: number): Promise<void> {
  const base = '/api/backup-verifications/';
  const request = { vm_backup: backup, esxi_server: ids.source, test_type: 'boot_ping', services: ['ssh'] };
  await call('POST', base, { body: { ...request, ovf_export: 3 }, as: roles.operator, status: 400 });
  const verification = await call('POST', base, { body: request, as: roles.operator, status: 201 });
  expect(verification).toMatchObject({ status: 'pending', vm_backup: backup });
  await call('GET', base, { query: `status=pending&test_type=boot_ping&vm_backup=${backup}`, status: 200 });
  await call('GET', base, { query: 'test_type=reboot', status: 400 });
  await call('GET', `${base}statistics/`, { as: roles.viewer, status: 200 });
  await call('GET', `${base}{id}/`, { params: { id: verification.id }, status: 200 });
  await call('DELETE', `${base}{id}/`, { params: { id: verification.id }, as: roles.viewer, status: 403 });
  await call('DELETE', `${base}{id}/`, { params: { id: verification.id }, as: roles.operator, status: 204 });
  await call('GET', `${base}{id}/`, { params: { id: verification.id }, status: 404 });

  const schedules = '/api/verification-schedules/';
  const detail = `${schedules}{id}/`;
  const body = { name: 'weekly', virtual_machine: ids.vm.id, esxi_server: ids.source, frequency: 'weekly' };
  await call('POST', schedules, { body: { ...body, frequency: 'hourly' }, as: roles.operator, status: 400 });
  const schedule = await call('POST', schedules, { body, as: roles.operator, status: 201 });
  await call('GET', schedules, { status: 200 });
  await call('GET', detail, { params: { id: schedule.id }, status: 200 });
  await call('PUT', detail, {
    params: { id: schedule.id },
    body: { is_active: false },
    as: roles.operator,
    status: 200,
  });
  await call('PATCH', detail, {
    params: { id: schedule.id },
    body: { test_type: 'full' },
    as: roles.operator,
    status: 200,
  });
  await call('DELETE', detail, { params: { id: schedule.id }, as: roles.operator, status: 204 });
  await call('DELETE', detail, { params: { id: schedule.id }, as: roles.operator, status: 404 });
}
