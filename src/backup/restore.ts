/**
 * @module backup/restore: the `restore` job. Opens the backup (a legacy directory is verified first:
 * manifest and every file's SHA-256; a restore point has its index checked, then every chunk and every whole
 * file as they are uploaded, see restore-source.ts), then `restoreVm` (restore-vm.ts: folder, upload,
 * RegisterVM_Task), powers the VM on if asked and syncs that host's inventory. On failure (a corrupt file
 * found during the upload too) it unregisters what it registered and deletes the folder it created.
 */
import { getBackup, getRestoreByJob, setRestoreVm } from '../db/backups.js';
import { getServerRow } from '../db/esxi-servers.js';
import { mergeJobPayload } from '../db/jobs.js';
import type { AppDeps } from '../deps.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import { syncInventory } from '../inventory/sync.js';
import type { JobContext, JobRow, JobTypeDefinition } from '../jobs/types.js';
import { deleteDatastoreFileIfExists, powerOn } from '../vsphere/index.js';
import { findPlacement } from '../vsphere/placement.js';
import { BackupError } from './errors.js';
import { openRestoreSource } from './restore-source.js';
import { discardRestoredVm, restoreVm } from './restore-vm.js';

/** Remembers on the job that this run created the destination folder (so an interrupted run may remove it). */
function markFolderCreated(deps: Pick<AppDeps, 'db'>, jobId: number): Promise<void> {
  return mergeJobPayload(deps.db, jobId, { folder_created: true });
}

async function loadRestore(ctx: JobContext) {
  const restore = await getRestoreByJob(ctx.deps.db, ctx.job.id);
  if (!restore) throw new BackupError('no_restore_row', 'backups.error.no_restore_row', { job: ctx.job.id });
  const backup = restore.vm_backup_id ? await getBackup(ctx.deps.db, restore.vm_backup_id) : null;
  if (!backup?.backup_dir || backup.status !== 'COMPLETED')
    throw new BackupError('backup_unavailable', 'backups.error.backup_unavailable');
  const server = restore.esxi_server_id ? await getServerRow(ctx.deps.db, restore.esxi_server_id) : null;
  if (!server) throw new BackupError('server_gone', 'backups.error.destination_gone');
  return { restore, backup: { ...backup, backup_dir: backup.backup_dir }, server };
}

/**
 * Runs one restore. Progress: 0-30 % verification (a legacy directory's), 30-90 % upload (bytes), then
 * register, power-on, sync.
 * @throws CorruptBackupError naming the file (nothing is left on the host then); BackupError when the VM
 *   name or folder already exists on the host, or the backup or host is gone; VSphereError; the abort reason
 *   when cancelled.
 */
async function runRestore(ctx: JobContext): Promise<void> {
  const { deps, signal } = ctx;
  const { restore, backup, server } = await loadRestore(ctx);
  ctx.report({ progress: 0, step: msg('step.verifying_backup') });
  const source = await openRestoreSource(deps, backup, signal, { from: 0, to: 30, report: ctx.report });
  signal.throwIfAborted();
  ctx.report({ progress: 30, step: msg('step.connecting', { server: server.name }) });
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  const warn = (message: string) => deps.logger.warn({ job: ctx.job.id }, message);
  try {
    const restored = await restoreVm(
      client,
      {
        source,
        datastore: restore.datastore,
        vmName: restore.vm_name,
        hostName: server.name,
        signal,
        progress: { from: 30, to: 90, report: ctx.report },
        onFolderCreated: () => markFolderCreated(deps, ctx.job.id),
        onRegistered: (vm) => setRestoreVm(deps.db, restore.id, vm?.value ?? null),
      },
      warn,
    );
    if (restore.power_on) {
      ctx.report({ progress: 95, step: msg('step.powering_on') });
      try {
        await powerOn(client, restored.vm);
      } catch (err) {
        ctx.report({ step: msg('step.cleanup') });
        await discardRestoredVm(client, restored).catch((e: unknown) => warn(`restore cleanup failed: ${e}`));
        await setRestoreVm(deps.db, restore.id, null);
        throw err;
      }
    }
  } finally {
    await client.logout();
  }
  ctx.report({ progress: 97, step: msg('step.inventory') });
  await syncInventory(deps, server.id).catch((err: unknown) =>
    deps.logger.warn(
      { job: ctx.job.id, error: (err as Error).message },
      'inventory sync after restore failed',
    ),
  );
  ctx.report({ progress: 100, step: msg('step.done') });
}

/** After a dead worker: deletes the folder the run created, unless it got as far as registering the VM. */
async function cleanupRestore(job: JobRow, deps: AppDeps): Promise<void> {
  const restore = await getRestoreByJob(deps.db, job.id);
  if (!restore || restore.vm_moref || job.payload.folder_created !== true || !restore.esxi_server_id) return;
  const server = await getServerRow(deps.db, restore.esxi_server_id);
  if (!server) return;
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    const { datacenter } = await findPlacement(client);
    await deleteDatastoreFileIfExists(client, {
      datacenter,
      datastore: restore.datastore,
      path: restore.vm_name,
    });
  } finally {
    await client.logout();
  }
}

/** The `restore` job type. */
export const restoreJob: JobTypeDefinition = {
  handler: runRestore,
  cancellable: true,
  cleanupInterrupted: cleanupRestore,
};
