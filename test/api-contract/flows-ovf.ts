/**
 * @module test/api-contract/flows-ovf: contract calls for `/api/ovf-exports/`. No job runner runs: a backup
 * is marked a COMPLETED restore point, and an export COMPLETED with one file, as the runner would.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { jobs, ovf_exports, vm_backups } from '../../src/db/schema.js';
import type { Contract } from './support.js';

/** OVF exports: create, list, detail, progress, cancel, download, import. */
export async function ovfExportFlow(
  { t, call, roles }: Contract,
  ids: { vm: { id: number; name: string }; storage: number; source: number; datastore: string },
) {
  const backup = await call('POST', '/api/vm-backups/', {
    body: { virtual_machine: ids.vm.id, storage_path: ids.storage },
    as: roles.operator,
    status: 201,
  });
  await t.deps.db
    .update(vm_backups)
    .set({ format: 'repository', index_path: '/nonexistent/.indexes/vm/x.json' })
    .where(eq(vm_backups.id, backup.id));
  await t.deps.db.update(jobs).set({ status: 'COMPLETED' }).where(eq(jobs.id, backup.job_id));

  const base = '/api/ovf-exports/';
  await call('POST', base, { body: { vm_backup: backup.id }, as: roles.viewer, status: 403 });
  await call('POST', base, { body: { vm_backup: backup.id, virtual_machine: ids.vm.id }, status: 400 });
  await call('POST', base, { body: { vm_backup: 999_999 }, status: 400 });
  await call('POST', base, { body: { vm_backup: backup.id, format: 'zip' }, status: 400 });
  const first = await call('POST', base, { body: { vm_backup: backup.id }, as: roles.operator, status: 201 });
  expect(first.status).toBe('PENDING');
  const cancelled = await call('POST', `${base}{id}/cancel/`, {
    params: { id: first.id },
    as: roles.operator,
    status: 200,
  });
  expect(cancelled.status).toBe('CANCELLED');
  const ova = await call('POST', base, { body: { virtual_machine: ids.vm.id, format: 'ova' }, status: 201 });
  expect(ova.vm_backup).toBe(backup.id);
  await call('GET', `${base}{id}/download/`, { params: { id: ova.id }, status: 409 });

  mkdirSync(ova.export_dir, { recursive: true });
  writeFileSync(path.join(ova.export_dir, 'vm.ova'), 'package');
  await t.deps.db
    .update(ovf_exports)
    .set({
      package_path: path.join(ova.export_dir, 'vm.ova'),
      files: [{ name: 'vm.ova', size_bytes: 7, sha256: 'x' }],
    })
    .where(eq(ovf_exports.id, ova.id));
  await t.deps.db.update(jobs).set({ status: 'COMPLETED', progress: 100 }).where(eq(jobs.id, ova.job_id));

  expect(await call('GET', base, { query: 'status=COMPLETED', status: 200 })).toHaveLength(1);
  await call('GET', base, { query: `virtual_machine=${ids.vm.id}&page_size=1`, status: 200 });
  await call('GET', base, { query: 'status=DONE', status: 400 });
  await call('GET', `${base}{id}/`, { params: { id: ova.id }, status: 200 });
  await call('GET', `${base}{id}/`, { params: { id: 999_999 }, status: 404 });
  const progress = await call('GET', `${base}{id}/progress/`, { params: { id: ova.id }, status: 200 });
  expect(progress.progress).toBe(100);
  await call('GET', `${base}{id}/download/`, { params: { id: ova.id }, as: roles.operator, status: 403 });
  await call('GET', `${base}{id}/download/`, {
    params: { id: ova.id },
    query: 'file=other.vmdk',
    status: 404,
  });
  await call('GET', `${base}{id}/download/`, { params: { id: ova.id }, status: 200 });

  const imp = '/api/ovf-exports/{id}/import/';
  const target = { esxi_server: ids.source, datastore: ids.datastore, vm_name: 'contract-import' };
  await call('POST', imp, { params: { id: ova.id }, body: target, as: roles.viewer, status: 403 });
  await call('POST', imp, { params: { id: first.id }, body: target, status: 400 });
  await call('POST', imp, { params: { id: ova.id }, body: { ...target, esxi_server: 999_999 }, status: 400 });
  await call('POST', imp, { params: { id: ova.id }, body: { ...target, datastore: 'nowhere' }, status: 400 });
  await call('POST', imp, { params: { id: ova.id }, body: { ...target, vm_name: ' ' }, status: 400 });
  await call('POST', imp, { params: { id: ova.id }, body: { ...target, vm_name: ids.vm.name }, status: 400 });
  await call('POST', imp, { params: { id: 999_999 }, body: target, status: 404 });
  const queued = await call('POST', imp, {
    params: { id: ova.id },
    body: target,
    as: roles.operator,
    status: 201,
  });
  expect([queued.status, queued.progress_url]).toEqual(['PENDING', `/api/operations/${queued.job_id}/`]);
}
