/**
 * @module backup/vm-backup: the `vm_backup` job. Checks free space, snapshots the VM (recorded in the ledger
 * first), copies the files a restore needs into `<timestamp>-job<id>.partial/`, writes `manifest.json`,
 * renames the directory, records it, removes the snapshot whatever happens, then applies retention.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { getBackupByJob, setBackupResult } from '../db/backups.js';
import { getServerRow } from '../db/esxi-servers.js';
import { getVirtualMachine } from '../db/inventory.js';
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
import { appVersion } from '../version.js';
import { createSnapshot, type VSphereClient, vmRef } from '../vsphere/index.js';
import { findPlacement } from '../vsphere/placement.js';
import { readVmLayout } from '../vsphere/vm-files.js';
import { backupDirs, removeJobDirs } from './backup-dirs.js';
import { copyFiles } from './copy-files.js';
import { BackupError } from './errors.js';
import { selectBackupFiles } from './file-selection.js';
import { type Manifest, writeManifest } from './manifest.js';
import { applyRetention } from './retention.js';
import { removeLedgerSnapshot, sweepSnapshots } from './snapshot-sweep.js';
import { freeBytes, spaceShortage } from './space.js';

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
 * Runs one backup (see the module doc). Progress: 0-5 % snapshot, 5-95 % copy (bytes), then manifest.
 * @throws BackupError (space, VM or storage path gone), VSphereError, fs errors, or the abort reason when cancelled;
 *   nothing of the run is left behind either way (partial directory, snapshot).
 */
async function runBackup(ctx: JobContext): Promise<void> {
  const { deps, signal, job } = ctx;
  const { backup, vm, server, storage } = await loadJob(ctx);
  const startedAt = new Date();
  const dirs = backupDirs(storage.path, vm.name, job.id, startedAt);
  ctx.report({ progress: 0, step: msg('step.connecting', { server: server.name }) });
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  let ledger: LedgerRow | null = null;
  let recorded = false;
  try {
    const ref = vmRef(vm.moref);
    const before = await readVmLayout(client, ref);
    const needed = selectBackupFiles(before, null).reduce((sum, f) => sum + f.expectedBytes, 0);
    await mkdir(dirs.vmDir, { recursive: true });
    const shortage = spaceShortage(await freeBytes(dirs.vmDir), needed, storage.path);
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
    const { datacenter } = await findPlacement(client);
    await mkdir(dirs.partial);
    const copied = await copyFiles(client, datacenter, files, dirs.partial, signal, {
      from: 5,
      to: 95,
      report: ctx.report,
    });
    await releaseSnapshot(ctx, client, ledger);
    ledger = null;
    signal.throwIfAborted();

    ctx.report({ progress: 96, step: msg('step.manifest') });
    const manifest: Manifest = {
      format: 1,
      app_version: appVersion(),
      vm: {
        name: layout.name,
        moref: vm.moref,
        guest_id: layout.guestId,
        guest_os: layout.guestFullName,
        num_cpu: layout.numCpu,
        memory_mb: layout.memoryMb,
        vmx_path: layout.vmxPath,
        disks: layout.devices.map((d) => ({
          label: d.label,
          capacity_bytes: d.capacityBytes,
          file_name: d.fileName,
        })),
      },
      source_host: {
        name: server.name,
        hostname: server.hostname,
        version: server.version ?? client.serviceContent.about.version,
      },
      snapshot: { name: backup.snapshot_name, moref: snap.value, quiesced: backup.quiesce },
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      total_bytes: copied.reduce((sum, f) => sum + f.size_bytes, 0),
      files: copied,
    };
    const manifestSha = await writeManifest(dirs.partial, manifest);
    await rename(dirs.partial, dirs.final);
    await setBackupResult(deps.db, backup.id, {
      backup_dir: dirs.final,
      size_bytes: manifest.total_bytes,
      file_count: copied.length,
      manifest_sha256: manifestSha,
    });
    recorded = true;
  } finally {
    if (ledger) await releaseSnapshot(ctx, client, ledger);
    if (!recorded) {
      await rm(dirs.partial, { recursive: true, force: true });
      await rm(dirs.final, { recursive: true, force: true });
    }
    await client.logout();
  }
  ctx.report({ progress: 98, step: msg('step.retention') });
  try {
    await applyRetention(deps, {
      virtualMachineId: vm.id,
      keep: deps.config.backupRetentionCount,
      current: backup.id,
    });
  } catch (err) {
    deps.logger.warn({ job: job.id, error: (err as Error).message }, 'retention failed');
  }
  ctx.report({ progress: 100, step: msg('step.done') });
}

/**
 * The `vm_backup` job type. `cleanupInterrupted` removes the job's `.partial` directory (and an unrecorded
 * final one) and sweeps its ledger snapshots.
 */
export const vmBackupJob: JobTypeDefinition = {
  handler: runBackup,
  cancellable: true,
  async cleanupInterrupted(job, deps) {
    const backup = await getBackupByJob(deps.db, job.id);
    if (backup?.storage_path_id) {
      const storage = await getStoragePath(deps.db, backup.storage_path_id);
      if (storage) await removeJobDirs(storage.path, backup.vm_name, job.id, backup.backup_dir !== null);
    }
    await sweepSnapshots(deps, { jobId: job.id });
  },
};
