/**
 * @module backup/vm-backup: the `vm_backup` job. Checks free space (space.ts `bytesToReserve`: the whole VM
 * for its first restore point in the repository, an estimate of the change after), snapshots the VM
 * (recorded in the ledger first), reads the files a restore needs once from datastore HTTP into a restore
 * point of the storage path's repository (each disk whole, or only where changed block tracking says it
 * changed since the previous restore point: backup/cbt-plan.ts; chunks first, the index last: the index
 * rename is the commit),
 * records it, removes the snapshot whatever happens, then applies retention. A run that fails (ENOSPC
 * included) or is killed leaves no index, only chunks that the next backup reuses or garbage collection
 * removes.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { getBackupByJob, setBackupResult } from '../db/backups.js';
import { getServerRow } from '../db/esxi-servers.js';
import { getVirtualMachine } from '../db/inventory.js';
import type { RetentionPolicy } from '../db/schema.js';
import {
  type LedgerRow,
  markSnapshotRemoved,
  recordSnapshot,
  setSnapshotError,
  setSnapshotMoref,
} from '../db/snapshot-ledger.js';
import { getStoragePath } from '../db/storage-paths.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import type { JobContext, JobTypeDefinition } from '../jobs/types.js';
import type { IndexMeta } from '../repository/format.js';
import { listIndexes } from '../repository/reader.js';
import { createRestorePointWriter } from '../repository/writer.js';
import { createSnapshot, readSnapshotDisks, type VSphereClient, vmRef } from '../vsphere/index.js';
import { findPlacement } from '../vsphere/placement.js';
import { readVmLayout } from '../vsphere/vm-files.js';
import { removeJobDirs } from './backup-dirs.js';
import { cbtOutcome, indexDisks } from './cbt-outcome.js';
import { planDisks, previousRestorePoint } from './cbt-plan.js';
import { BackupError } from './errors.js';
import { selectBackupFiles } from './file-selection.js';
import { readIntoRepository } from './read-into-repository.js';
import { openStorageRepository } from './repository-access.js';
import { applyRetention } from './retention.js';
import { removeLedgerSnapshot, sweepSnapshots } from './snapshot-sweep.js';
import { bytesToReserve, freeBytes, lastRestorePoint, spaceShortage, storageFull } from './space.js';

async function loadJob(ctx: JobContext) {
  const { db } = ctx.deps;
  const backup = await getBackupByJob(db, ctx.job.id);
  if (!backup) throw new BackupError('no_backup_row', 'backups.error.no_job_row', { job: ctx.job.id });
  const vm = backup.virtual_machine_id ? (await getVirtualMachine(db, backup.virtual_machine_id))?.vm : null;
  if (!vm?.is_present) throw new BackupError('vm_gone', 'backups.error.vm_gone', { vm: backup.vm_name });
  const server = await getServerRow(db, vm.esxi_server_id);
  if (!server) throw new BackupError('server_gone', 'backups.error.server_gone', { vm: vm.name });
  const storage = backup.storage_path_id ? await getStoragePath(db, backup.storage_path_id) : null;
  if (!storage) throw new BackupError('storage_gone', 'backups.error.storage_gone');
  return { backup, vm, server, storage };
}

/** Removes the ledger's snapshot and marks it; a failure is recorded for the sweep, never thrown. */
async function releaseSnapshot(ctx: JobContext, client: VSphereClient, ledger: LedgerRow): Promise<void> {
  ctx.report({ step: msg('step.remove_snapshot') });
  try {
    await removeLedgerSnapshot(client, ledger);
    await markSnapshotRemoved(ctx.deps.db, ledger.id);
  } catch (err) {
    await setSnapshotError(ctx.deps.db, ledger.id, err).catch(() => {});
    ctx.deps.logger.warn({ job: ctx.job.id, error: (err as Error).message }, 'snapshot removal failed');
  }
}

/**
 * Runs one backup (see the module doc). Progress: 0-5 % snapshot, 5-95 % read (bytes), then the index.
 * @throws BackupError (space, VM or storage path gone), RepositoryError (repository unreadable, key),
 *   VSphereError, fs errors, or the abort reason when cancelled; no restore point is left behind then (no
 *   index; the snapshot is removed).
 */
async function runBackup(ctx: JobContext): Promise<void> {
  const { deps, signal, job } = ctx;
  const { backup, vm, server, storage } = await loadJob(ctx);
  const startedAt = new Date();
  ctx.report({ progress: 0, step: msg('step.connecting', { server: server.name }) });
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  let ledger: LedgerRow | null = null;
  let committed: string | null = null;
  let recorded = false;
  try {
    const ref = vmRef(vm.moref);
    const before = await readVmLayout(client, ref);
    const needed = selectBackupFiles(before, null).reduce((sum, f) => sum + f.expectedBytes, 0);
    await mkdir(storage.path, { recursive: true });
    const repo = await openStorageRepository(deps, storage, { create: true });
    const last = await lastRestorePoint(repo, { name: vm.name, moref: vm.moref });
    const writes = bytesToReserve(needed, last, repo.config.chunk_size);
    const shortage = spaceShortage(await freeBytes(storage.path), writes, storage.path);
    if (shortage) throw shortage;
    signal.throwIfAborted();

    ctx.report({ progress: 1, step: msg('step.snapshot'), bytes_total: needed });
    ledger = await recordSnapshot(deps.db, {
      esxi_server_id: server.id,
      vm_moref: vm.moref,
      snapshot_name: backup.snapshot_name || `ebm-backup-${job.id}`,
      job_id: job.id,
    });
    const snap = await createSnapshot(client, ref, {
      name: ledger.snapshot_name,
      description: `ESXi Backup Manager, job ${job.id}`,
      quiesce: backup.quiesce,
    });
    await setSnapshotMoref(deps.db, ledger.id, snap.value);
    ledger = { ...ledger, snapshot_moref: snap.value };
    signal.throwIfAborted();

    const layout = await readVmLayout(client, ref);
    const files = selectBackupFiles(layout, snap.value);
    const plans = planDisks({
      layout,
      snapshot: snap.value,
      disks: await readSnapshotDisks(client, snap),
      files,
      previous: await previousRestorePoint(deps.db, repo, { name: vm.name, moref: vm.moref }),
      activeFullEvery: deps.config.activeFullEvery,
    });
    const { datacenter } = await findPlacement(client);
    const writer = createRestorePointWriter(repo, { vmName: vm.name, jobId: job.id, startedAt });
    const progress = { from: 5, to: 95, report: ctx.report };
    const cbt = { plans, repo, vm: ref, snapshot: snap };
    const read = await readIntoRepository(client, datacenter, files, writer, signal, progress, cbt);
    const outcome = cbtOutcome(plans, read.disks);
    await releaseSnapshot(ctx, client, ledger);
    ledger = null;
    signal.throwIfAborted();

    ctx.report({ progress: 96, step: msg('step.index') });
    const meta: IndexMeta = {
      vm: {
        name: layout.name,
        moref: vm.moref,
        guest_id: layout.guestId,
        guest_os: layout.guestFullName,
        num_cpu: layout.numCpu,
        memory_mb: layout.memoryMb,
        vmx_path: layout.vmxPath,
        disks: indexDisks(plans, read.disks),
      },
      source_host: {
        name: server.name,
        hostname: server.hostname,
        version: server.version ?? client.serviceContent.about.version,
      },
      snapshot: { name: backup.snapshot_name, moref: snap.value, quiesced: backup.quiesce },
    };
    const result = await writer.commit(meta);
    committed = result.indexPath;
    await setBackupResult(deps.db, backup.id, {
      format: 'repository',
      index_path: result.indexPath,
      // The restore point's folder of indexes: set once complete, as the legacy directory was.
      backup_dir: path.dirname(result.indexPath),
      size_bytes: result.logicalBytes,
      logical_bytes: result.logicalBytes,
      bytes_read: read.bytesRead,
      bytes_written: result.bytesWritten,
      file_count: files.length,
      manifest_sha256: result.indexSha256,
      mode: outcome.mode,
      changed_bytes: outcome.changedBytes,
      cbt_fallback_reason: outcome.reason,
    });
    recorded = true;
  } catch (err) {
    throw storageFull(err, storage.path);
  } finally {
    if (ledger) await releaseSnapshot(ctx, client, ledger);
    if (committed && !recorded) await rm(committed, { force: true });
    await client.logout();
  }
  ctx.report({ progress: 98, step: msg('step.retention') });
  try {
    await applyRetention(deps, {
      virtualMachineId: vm.id,
      keep: deps.config.backupRetentionCount,
      current: backup.id,
      policy: (job.payload.retention as RetentionPolicy | undefined) ?? null,
    });
  } catch (err) {
    deps.logger.warn({ job: job.id, error: (err as Error).message }, 'retention failed');
  }
  ctx.report({ progress: 100, step: msg('step.done') });
}

/**
 * Removes an index of job `jobId` that the database never recorded (the process died between the index
 * rename and the database update), under `<root>/.indexes/<any vm>/`. Idempotent.
 * @returns the removed paths. @throws fs errors other than a missing `.indexes/`.
 */
async function removeUnrecordedIndexes(root: string, jobId: number): Promise<string[]> {
  const mine = (await listIndexes(root)).filter((file) => file.endsWith(`-job${jobId}.json`));
  for (const file of mine) await rm(file, { force: true });
  return mine;
}

/**
 * The `vm_backup` job type. `cleanupInterrupted` removes what the job left that no restore point names: an
 * unrecorded index, a legacy `.partial` directory (chunks and `.tmp` files are garbage collection's: they
 * carry no job id), and sweeps its ledger snapshots.
 */
export const vmBackupJob: JobTypeDefinition = {
  handler: runBackup,
  cancellable: true,
  async cleanupInterrupted(job, deps) {
    const backup = await getBackupByJob(deps.db, job.id);
    if (backup?.storage_path_id) {
      const storage = await getStoragePath(deps.db, backup.storage_path_id);
      if (storage) {
        await removeJobDirs(storage.path, backup.vm_name, job.id, backup.backup_dir !== null);
        if (!backup.index_path) await removeUnrecordedIndexes(storage.path, job.id);
      }
    }
    await sweepSnapshots(deps, { jobId: job.id });
  },
};
