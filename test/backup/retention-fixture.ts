/**
 * @module test/backup/retention-fixture: a VM with restore points, without a host: its rows inserted with the
 * app's own queries, each completed point with a real index file (`<root>/.indexes/<vm>/<stamp>-job<id>.json`)
 * in a temporary storage path, so that retention is seen removing files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createBackupJob, setBackupResult } from '../../src/db/backups.js';
import { insertServer } from '../../src/db/esxi-servers.js';
import { replaceInventory } from '../../src/db/inventory.js';
import { type JobStatus, jobs, vm_backups } from '../../src/db/schema.js';
import type { AppDeps } from '../../src/deps.js';
import { addStoragePath } from './support.js';

export interface PointSpec {
  /** When the backup was taken (its job's start). */
  at: Date;
  status?: JobStatus;
  verification?: 'unverified' | 'ok' | 'corrupt';
}

/** A host row, one VM on it and a storage path. @returns what `addPoint` needs. */
export async function seedVm(deps: AppDeps, name = 'vm-retained') {
  const serverId = await insertServer(deps.db, {
    name: `esx-${name}`,
    hostname: '127.0.0.1',
    username: 'root',
    password_encrypted: 'unused',
  });
  await replaceInventory(deps.db, serverId, { vms: [{ moref: 'vm-1', name }], datastores: [] });
  const [vm] = await deps.db.query.virtual_machines.findMany({ where: (v, { eq }) => eq(v.name, name) });
  const storage = await addStoragePath(deps, `store-${name}`);
  return { vmId: (vm as { id: number }).id, vmName: name, root: storage.path, storageId: storage.id };
}

/**
 * A backup of the VM taken at `spec.at`: COMPLETED (default) with its index file, or an unfinished run.
 * @returns its backup id and its index file (null for a run that did not complete).
 */
export async function addPoint(
  deps: AppDeps,
  vm: Awaited<ReturnType<typeof seedVm>>,
  spec: PointSpec,
): Promise<{ id: number; index: string | null }> {
  const row = await createBackupJob(deps.db, { virtual_machine_id: vm.vmId, storage_path_id: vm.storageId });
  const status = spec.status ?? 'COMPLETED';
  await deps.db
    .update(jobs)
    .set({ status, started_at: spec.at, finished_at: new Date(spec.at.getTime() + 60_000) })
    .where(eq(jobs.id, row.job_id));
  if (status !== 'COMPLETED') return { id: row.id, index: null };
  const dir = path.join(vm.root, '.indexes', vm.vmName);
  mkdirSync(dir, { recursive: true });
  const stamp = spec.at.toISOString().replace(/[-:]|\.\d+/g, '');
  const index = path.join(dir, `${stamp}-job${row.job_id}.json`);
  writeFileSync(index, JSON.stringify({ files: [], taken_at: spec.at.toISOString() }));
  await setBackupResult(deps.db, row.id, {
    format: 'repository',
    index_path: index,
    backup_dir: dir,
    size_bytes: 0,
    file_count: 0,
    manifest_sha256: 'unused',
  });
  if (spec.verification) {
    await deps.db
      .update(vm_backups)
      .set({ verification_state: spec.verification })
      .where(eq(vm_backups.id, row.id));
  }
  return { id: row.id, index };
}
