/**
 * @module db/ovf-exports: OVFExportJob rows with their job. Creating one inserts its `jobs` row (PENDING,
 * type `ovf_export`) and its detail row in one transaction; the package lands in
 * `<storage path>/ovf-exports/<vm segment>-<job id>/`.
 */
import path from 'node:path';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';
import { safeSegment } from '../repository/format.js';
import type { Db } from './client.js';
import { type Listed, type ListWindow, listIn } from './list-window.js';
import {
  type JobStatus,
  jobs,
  type OvfFormat,
  type OvfPackageFile,
  ovf_exports,
  storage_paths,
  virtual_machines,
  vm_backups,
} from './schema.js';

export type OvfExportRow = typeof ovf_exports.$inferSelect;

/** The folder under a storage path that holds the exports. */
export const EXPORTS_DIR = 'ovf-exports';

function refused(field: string, key: MessageKey, params?: MessageParams): InvalidInputError {
  const message = msg(key, params);
  return new InvalidInputError({ [field]: [message] }, message);
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The restore point to export: the one named, or the VM's newest completed one. @throws InvalidInputError. */
async function sourceBackup(tx: Tx, input: { virtual_machine_id?: number; vm_backup_id?: number }) {
  if (input.vm_backup_id) {
    const [row] = await tx
      .select({ backup: vm_backups, status: jobs.status })
      .from(vm_backups)
      .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
      .where(eq(vm_backups.id, input.vm_backup_id));
    if (!row) throw refused('vm_backup', 'ovf.request.backup_unknown', { id: input.vm_backup_id });
    if (row.status !== 'COMPLETED' || row.backup.format !== 'repository' || !row.backup.index_path)
      throw refused('vm_backup', 'ovf.request.backup_incomplete', { id: input.vm_backup_id });
    return row.backup;
  }
  const id = input.virtual_machine_id as number;
  const [vm] = await tx.select().from(virtual_machines).where(eq(virtual_machines.id, id));
  if (!vm) throw refused('virtual_machine', 'ovf.request.vm_unknown', { id });
  const [row] = await tx
    .select({ backup: vm_backups })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .where(
      and(
        eq(vm_backups.virtual_machine_id, id),
        eq(jobs.status, 'COMPLETED'),
        eq(vm_backups.format, 'repository'),
      ),
    )
    .orderBy(desc(vm_backups.created_at), desc(vm_backups.id))
    .limit(1);
  if (!row) throw refused('virtual_machine', 'ovf.request.no_restore_point', { vm: vm.name });
  return row.backup;
}

/**
 * Queues an export of a restore point.
 * @param input exactly one of virtual_machine_id (its newest completed restore point) and vm_backup_id;
 *   storage_path_id the destination (default: the restore point's own storage path, else the first active).
 * @throws InvalidInputError (400) naming the field: both or neither source, unknown VM or backup, no completed
 *   restore point, unknown or inactive storage path.
 */
export async function createOvfExport(
  db: Db,
  input: {
    virtual_machine_id?: number;
    vm_backup_id?: number;
    storage_path_id?: number | null;
    format: OvfFormat;
    created_by?: number | null;
  },
): Promise<OvfExportRow> {
  if (!input.virtual_machine_id === !input.vm_backup_id) throw refused('_', 'ovf.request.one_source');
  return db.transaction(async (tx) => {
    const backup = await sourceBackup(tx, input);
    const wanted = input.storage_path_id ?? backup.storage_path_id;
    const [storage] = wanted
      ? await tx.select().from(storage_paths).where(eq(storage_paths.id, wanted))
      : await tx.select().from(storage_paths).where(eq(storage_paths.is_active, true)).limit(1);
    if (!storage)
      throw input.storage_path_id
        ? refused('storage_path', 'ovf.request.storage_unknown', { id: input.storage_path_id })
        : refused('storage_path', 'ovf.request.no_storage');
    if (!storage.is_active)
      throw refused('storage_path', 'ovf.request.storage_inactive', { name: storage.name });
    const [job] = await tx
      .insert(jobs)
      .values({
        type: 'ovf_export',
        status: 'PENDING',
        target_label: backup.vm_name,
        payload: { vm_backup_id: backup.id, format: input.format },
        created_by: input.created_by ?? null,
      })
      .returning({ id: jobs.id });
    const jobId = (job as { id: number }).id;
    const [row] = await tx
      .insert(ovf_exports)
      .values({
        job_id: jobId,
        virtual_machine_id: backup.virtual_machine_id,
        vm_backup_id: backup.id,
        vm_name: backup.vm_name,
        storage_path_id: storage.id,
        format: input.format,
        export_dir: path.join(storage.path, EXPORTS_DIR, `${safeSegment(backup.vm_name)}-${jobId}`),
      })
      .returning();
    return row as OvfExportRow;
  });
}

const exportSelect = (db: Db) =>
  db
    .select({
      row: ovf_exports,
      job: {
        status: jobs.status,
        progress: jobs.progress,
        bytes_done: jobs.bytes_done,
        bytes_total: jobs.bytes_total,
        step: jobs.step,
        error: jobs.error,
        started_at: jobs.started_at,
        finished_at: jobs.finished_at,
      },
    })
    .from(ovf_exports)
    .innerJoin(jobs, eq(jobs.id, ovf_exports.job_id));
type ExportJoin = Awaited<ReturnType<ReturnType<typeof exportSelect>['execute']>>[number];
const flatten = (r: ExportJoin) => ({ ...r.row, ...r.job });
export type OvfExportItem = ReturnType<typeof flatten>;

/** Exports, newest first, optionally by job status and VM. */
export async function listOvfExports(
  db: Db,
  filter: { status?: JobStatus; virtual_machine?: number } = {},
  window?: ListWindow,
): Promise<Listed<OvfExportItem>> {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(jobs.status, filter.status));
  if (filter.virtual_machine) where.push(eq(ovf_exports.virtual_machine_id, filter.virtual_machine));
  const { rows, count } = await listIn(
    db,
    () =>
      exportSelect(db)
        .where(and(...where))
        .orderBy(desc(ovf_exports.created_at), desc(ovf_exports.id))
        .$dynamic(),
    window,
  );
  return { rows: rows.map(flatten), count };
}

/** One export with its job's state. @throws NotFoundError. */
export async function getOvfExport(db: Db, id: number): Promise<OvfExportItem> {
  const [row] = await exportSelect(db).where(eq(ovf_exports.id, id));
  if (!row) throw new NotFoundError();
  return flatten(row);
}

/** The export row of a job, or null. */
export async function getOvfExportByJob(db: Db, jobId: number): Promise<OvfExportRow | null> {
  const [row] = await db.select().from(ovf_exports).where(eq(ovf_exports.job_id, jobId));
  return row ?? null;
}

/** Records a finished package: its files (in package order), total size and the file to hand out. */
export async function setOvfExportResult(
  db: Db,
  id: number,
  result: { files: OvfPackageFile[]; total_bytes: number; package_path: string },
): Promise<void> {
  await db.update(ovf_exports).set(result).where(eq(ovf_exports.id, id));
}
