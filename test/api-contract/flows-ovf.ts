/**
 * @module test/api-contract/flows-ovf: contract calls for `/api/ovf-exports/`. No job runner runs: a backup
 * is marked a COMPLETED restore point, and an export COMPLETED with one file, as the runner would; the VM's
 * power state is set in the inventory to show the host export refused (powered on), then accepted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { jobs, ovf_exports, virtual_machines, vm_backups } from '../../src/db/schema.js';
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
  const vms = virtual_machines;
  const [{ power_state: was } = { power_state: 'poweredOn' }] = await t.deps.db
    .select({ power_state: vms.power_state })
    .from(vms)
    .where(eq(vms.id, ids.vm.id));
  await t.deps.db.update(vms).set({ power_state: 'poweredOn' }).where(eq(vms.id, ids.vm.id));
  await call('POST', base, { body: { virtual_machine: ids.vm.id }, status: 400 });
  await t.deps.db.update(vms).set({ power_state: 'poweredOff' }).where(eq(vms.id, ids.vm.id));
  const host = await call('POST', base, { body: { virtual_machine: ids.vm.id }, status: 201 });
  expect([host.source, host.vm_backup]).toEqual(['host', null]);
  await call('POST', `${base}{id}/cancel/`, { params: { id: host.id }, status: 200 });
  await t.deps.db.update(vms).set({ power_state: was }).where(eq(vms.id, ids.vm.id));
  const ova = await call('POST', base, { body: { vm_backup: backup.id, format: 'ova' }, status: 201 });
  expect(ova.source).toBe('restore_point');
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
