/**
 * @module db/ovf-exports: OVFExportJob rows with their job. Creating one inserts its `jobs` row (PENDING,
 * type `ovf_export`) and its detail row in one transaction; the package lands in
 * `<storage path>/ovf-exports/<vm segment>-<job id>/`.
 */
import path from 'node:path';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { NotFoundError } from '../errors.js';
import { safeSegment } from '../repository/format.js';
import type { Db } from './client.js';
import { type Listed, type ListWindow, listIn } from './list-window.js';
import { exportSource, refused } from './ovf-export-source.js';
import {
  type JobStatus,
  jobs,
  type OvfFormat,
  type OvfPackageFile,
  ovf_exports,
  storage_paths,
} from './schema.js';

export type OvfExportRow = typeof ovf_exports.$inferSelect;

/** The folder under a storage path that holds the exports. */
export const EXPORTS_DIR = 'ovf-exports';

/**
 * Queues an export.
 * @param input exactly one of virtual_machine_id (the powered-off VM from its host) and vm_backup_id (a restore
 *   point); storage_path_id the destination (default: the restore point's own storage path, else the first
 *   active).
 * @throws InvalidInputError (400) naming the field: both or neither source, unknown VM or backup, VM not
 *   powered off, not a completed restore point, unknown or inactive storage path.
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
    const source = await exportSource(tx, input);
    const wanted = input.storage_path_id ?? source.storage_path_id;
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
        target_label: source.vm_name,
        esxi_server_id: source.esxi_server_id,
        payload: { source: source.source, vm_backup_id: source.vm_backup_id, format: input.format },
        created_by: input.created_by ?? null,
      })
      .returning({ id: jobs.id });
    const jobId = (job as { id: number }).id;
    const [row] = await tx
      .insert(ovf_exports)
      .values({
        job_id: jobId,
        source: source.source,
        virtual_machine_id: source.virtual_machine_id,
        vm_backup_id: source.vm_backup_id,
        esxi_server_id: source.esxi_server_id,
        vm_name: source.vm_name,
        storage_path_id: storage.id,
        format: input.format,
        export_dir: path.join(storage.path, EXPORTS_DIR, `${safeSegment(source.vm_name)}-${jobId}`),
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

/** Records (a MoRef value) or clears (null) the open HttpNfcLease of a host export. */
export async function setOvfExportLease(db: Db, id: number, lease: string | null): Promise<void> {
  await db.update(ovf_exports).set({ nfc_lease: lease }).where(eq(ovf_exports.id, id));
}

/** Records a finished package: its files (in package order), total size and the file to hand out. */
export async function setOvfExportResult(
  db: Db,
  id: number,
  result: { files: OvfPackageFile[]; total_bytes: number; package_path: string },
): Promise<void> {
  await db.update(ovf_exports).set(result).where(eq(ovf_exports.id, id));
}
