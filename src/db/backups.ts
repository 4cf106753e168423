/**
 * @module db/backups: VMBackupJob and restore rows with their job. Creating one inserts its `jobs` row
 * (PENDING, picked up by the job runner) and its detail row in one transaction.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';
import type { Db } from './client.js';
import { type Listed, type ListWindow, listIn } from './list-window.js';
import {
  datastores,
  esxi_servers,
  type JobStatus,
  jobs,
  type RetentionPolicy,
  restores,
  storage_paths,
  virtual_machines,
  vm_backups,
} from './schema.js';

export type VmBackupRow = typeof vm_backups.$inferSelect;
export type RestoreRow = typeof restores.$inferSelect;

/** A request that cannot be accepted (unknown VM, inactive storage path...): a 400 on `field`, with that message. */
function refused(field: string, key: MessageKey, params?: MessageParams): InvalidInputError {
  const message = msg(key, params);
  return new InvalidInputError({ [field]: [message] }, message);
}

/** The job fields shown beside a backup or restore. */
const jobColumns = {
  status: jobs.status,
  progress: jobs.progress,
  bytes_done: jobs.bytes_done,
  bytes_total: jobs.bytes_total,
  step: jobs.step,
  error: jobs.error,
  started_at: jobs.started_at,
  finished_at: jobs.finished_at,
};

/**
 * Queues a backup of one VM.
 * @param input.storage_path_id destination; omitted: the first active storage path (by id).
 * @param input.retention stored in the job's payload; the backup applies it instead of the VM's policy.
 * @returns the new backup row and its job id.
 * @throws InvalidInputError (400) on `virtual_machine` when the VM is unknown or gone from its host, on
 *   `storage_path` when the storage path is unknown, inactive, or there is none.
 */
export async function createBackupJob(
  db: Db,
  input: {
    virtual_machine_id: number;
    storage_path_id?: number | null;
    quiesce?: boolean;
    created_by?: number | null;
    /** Prune rules applied after this backup instead of the VM's own (a backup job's retention). */
    retention?: RetentionPolicy | null;
  },
): Promise<VmBackupRow> {
  return db.transaction(async (tx) => {
    const [vm] = await tx
      .select()
      .from(virtual_machines)
      .where(eq(virtual_machines.id, input.virtual_machine_id));
    if (!vm) throw refused('virtual_machine', 'backups.request.vm_unknown', { id: input.virtual_machine_id });
    if (!vm.is_present) throw refused('virtual_machine', 'backups.request.vm_gone', { vm: vm.name });
    const [path] = input.storage_path_id
      ? await tx.select().from(storage_paths).where(eq(storage_paths.id, input.storage_path_id))
      : await tx
          .select()
          .from(storage_paths)
          .where(eq(storage_paths.is_active, true))
          .orderBy(storage_paths.id)
          .limit(1);
    if (!path) {
      throw input.storage_path_id
        ? refused('storage_path', 'backups.request.storage_unknown', { id: input.storage_path_id })
        : refused('storage_path', 'backups.request.no_storage');
    }
    if (!path.is_active)
      throw refused('storage_path', 'backups.request.storage_inactive', { name: path.name });
    const quiesce = input.quiesce ?? false;
    const [job] = await tx
      .insert(jobs)
      .values({
        type: 'vm_backup',
        status: 'PENDING',
        target_label: vm.name,
        esxi_server_id: vm.esxi_server_id,
        payload: {
          virtual_machine_id: vm.id,
          storage_path_id: path.id,
          quiesce,
          ...(input.retention ? { retention: input.retention } : {}),
        },
        created_by: input.created_by ?? null,
      })
      .returning({ id: jobs.id });
    const jobId = (job as { id: number }).id;
    const [row] = await tx
      .insert(vm_backups)
      .values({
        job_id: jobId,
        virtual_machine_id: vm.id,
        vm_name: vm.name,
        esxi_server_id: vm.esxi_server_id,
        storage_path_id: path.id,
        quiesce,
        snapshot_name: `ebm-backup-${jobId}`,
      })
      .returning();
    return row as VmBackupRow;
  });
}

/** Status of the backup's latest SureBackup verification (`passed`, `failed`...), null when never verified. */
const verification_status = sql<
  string | null
>`(select v.status from backup_verifications v where v.vm_backup_id = ${vm_backups.id} order by v.id desc limit 1)`;

const backupSelect = (db: Db) =>
  db
    .select({
      backup: vm_backups,
      job: jobColumns,
      storage_path_name: storage_paths.name,
      verification_status,
    })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .leftJoin(storage_paths, eq(storage_paths.id, vm_backups.storage_path_id));

type BackupJoin = Awaited<ReturnType<ReturnType<typeof backupSelect>['execute']>>[number];
const flattenBackup = (r: BackupJoin) => ({
  ...r.backup,
  ...r.job,
  storage_path_name: r.storage_path_name,
  verification_status: r.verification_status,
});
export type BackupListItem = ReturnType<typeof flattenBackup>;

/** Backups, newest first, with their job's status, progress, step, error and timestamps. */
export async function listBackups(
  db: Db,
  filter: { status?: JobStatus; virtual_machine?: number } = {},
  window?: ListWindow,
): Promise<Listed<BackupListItem>> {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(jobs.status, filter.status));
  if (filter.virtual_machine) where.push(eq(vm_backups.virtual_machine_id, filter.virtual_machine));
  const { rows, count } = await listIn(
    db,
    () =>
      backupSelect(db)
        .where(and(...where))
        .orderBy(desc(vm_backups.created_at), desc(vm_backups.id))
        .$dynamic(),
    window,
  );
  return { rows: rows.map(flattenBackup), count };
}

/** One backup with its job's state, or null. */
export async function getBackup(db: Db, id: number): Promise<BackupListItem | null> {
  const [row] = await backupSelect(db).where(eq(vm_backups.id, id));
  return row ? flattenBackup(row) : null;
}

/** The backup row of a job, or null. */
export async function getBackupByJob(db: Db, jobId: number): Promise<VmBackupRow | null> {
  const [row] = await db.select().from(vm_backups).where(eq(vm_backups.job_id, jobId));
  return row ?? null;
}

/**
 * Records a finished backup (only once its directory has its final name, or its index is committed).
 * @param values.format `repository` for a restore point (with `index_path` and the byte counts).
 */
export async function setBackupResult(
  db: Db,
  id: number,
  values: {
    backup_dir: string;
    size_bytes: number;
    file_count: number;
    manifest_sha256: string;
    format?: 'directory' | 'repository';
    index_path?: string | null;
    bytes_read?: number;
    bytes_written?: number;
    logical_bytes?: number;
    mode?: 'full' | 'incremental';
    changed_bytes?: number | null;
    cbt_fallback_reason?: string | null;
  },
): Promise<void> {
  await db.update(vm_backups).set(values).where(eq(vm_backups.id, id));
}

/** Whether a verify found the restore point of this index corrupt (an incremental backup must not build on it). */
export async function isCorruptIndex(db: Db, indexPath: string): Promise<boolean> {
  const [row] = await db
    .select({ id: vm_backups.id })
    .from(vm_backups)
    .where(and(eq(vm_backups.index_path, indexPath), eq(vm_backups.verification_state, 'corrupt')));
  return row !== undefined;
}

/** A new VM's name as restores and OVF imports accept it: 1-80 letters, digits, spaces or . _ - ( ). */
export const VM_NAME = /^[\w.\- ()]{1,80}$/;

/**
 * Queues a restore of a completed backup to a host and datastore under a new name.
 * @throws NotFoundError when the backup is unknown; InvalidInputError (400) when it is not COMPLETED (`_`),
 *   the server unknown or inactive (`esxi_server`), the datastore unknown on that server (`datastore`), or
 *   the name unusable (`vm_name`: 1-80 letters, digits, space, `._-()`).
 */
export async function createRestoreJob(
  db: Db,
  input: {
    vm_backup_id: number;
    esxi_server_id: number;
    datastore: string;
    vm_name: string;
    power_on?: boolean;
    created_by?: number | null;
  },
): Promise<RestoreRow> {
  const vmName = input.vm_name.trim();
  if (!VM_NAME.test(vmName)) {
    throw refused('vm_name', 'backups.request.vm_name');
  }
  return db.transaction(async (tx) => {
    const [backup] = await tx
      .select({ backup: vm_backups, status: jobs.status })
      .from(vm_backups)
      .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
      .where(eq(vm_backups.id, input.vm_backup_id));
    if (!backup) throw new NotFoundError(msg('backups.request.backup_unknown', { id: input.vm_backup_id }));
    if (backup.status !== 'COMPLETED' || !backup.backup.backup_dir) {
      throw refused('_', 'backups.request.backup_incomplete', {
        id: input.vm_backup_id,
        status: msg(`backups.status.${backup.status}` as const),
      });
    }
    const [server] = await tx.select().from(esxi_servers).where(eq(esxi_servers.id, input.esxi_server_id));
    if (!server) throw refused('esxi_server', 'backups.request.server_unknown', { id: input.esxi_server_id });
    if (!server.is_active)
      throw refused('esxi_server', 'backups.request.server_inactive', { name: server.name });
    const [ds] = await tx
      .select({ id: datastores.id })
      .from(datastores)
      .where(and(eq(datastores.esxi_server_id, server.id), eq(datastores.name, input.datastore)));
    if (!ds) {
      throw refused('datastore', 'backups.request.datastore_unknown', {
        datastore: input.datastore,
        server: server.name,
      });
    }
    const power_on = input.power_on ?? false;
    const [job] = await tx
      .insert(jobs)
      .values({
        type: 'restore',
        status: 'PENDING',
        target_label: vmName,
        esxi_server_id: server.id,
        payload: { vm_backup_id: input.vm_backup_id, datastore: input.datastore, vm_name: vmName, power_on },
        created_by: input.created_by ?? null,
      })
      .returning({ id: jobs.id });
    const [row] = await tx
      .insert(restores)
      .values({
        job_id: (job as { id: number }).id,
        vm_backup_id: input.vm_backup_id,
        esxi_server_id: server.id,
        datastore: input.datastore,
        vm_name: vmName,
        power_on,
      })
      .returning();
    return row as RestoreRow;
  });
}

const restoreSelect = (db: Db) =>
  db
    .select({ restore: restores, job: jobColumns })
    .from(restores)
    .innerJoin(jobs, eq(jobs.id, restores.job_id));
type RestoreJoin = Awaited<ReturnType<ReturnType<typeof restoreSelect>['execute']>>[number];
const flattenRestore = (r: RestoreJoin) => ({ ...r.restore, ...r.job });
export type RestoreListItem = ReturnType<typeof flattenRestore>;

/** One restore with its job's state, or null. */
export async function getRestore(db: Db, id: number): Promise<RestoreListItem | null> {
  const [row] = await restoreSelect(db).where(eq(restores.id, id));
  return row ? flattenRestore(row) : null;
}

/** Restores, newest first, optionally of one backup. */
export async function listRestores(
  db: Db,
  filter: { vm_backup?: number } = {},
  window?: ListWindow,
): Promise<Listed<RestoreListItem>> {
  const { rows, count } = await listIn(
    db,
    () =>
      restoreSelect(db)
        .where(filter.vm_backup ? eq(restores.vm_backup_id, filter.vm_backup) : undefined)
        .orderBy(desc(restores.created_at), desc(restores.id))
        .$dynamic(),
    window,
  );
  return { rows: rows.map(flattenRestore), count };
}

/** The restore row of a job, or null. */
export async function getRestoreByJob(db: Db, jobId: number): Promise<RestoreRow | null> {
  const [row] = await db.select().from(restores).where(eq(restores.job_id, jobId));
  return row ?? null;
}

/** Records the MoRef of the VM a restore registered (null: unregistered again). */
export async function setRestoreVm(db: Db, id: number, vmMoref: string | null): Promise<void> {
  await db.update(restores).set({ vm_moref: vmMoref }).where(eq(restores.id, id));
}
