/**
 * @module db/verifications: BackupVerification rows (SureBackup) with their `verification` job. Creating one
 * checks the request (backup complete, host active, datastore on that host) and inserts the job (PENDING, picked
 * up by the runner) and the row in one transaction. Reads reconcile rows whose job ended without them.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { InvalidInputError } from '../errors.js';
import { type MessageParams, msg, storeMessage } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';
import type { Db } from './client.js';
import { type Listed, type ListWindow, listIn } from './list-window.js';
import {
  backup_verifications,
  datastores,
  esxi_servers,
  type HttpCheck,
  jobs,
  ovf_exports,
  type TEST_TYPES,
  type VERIFICATION_STATUSES,
  vm_backups,
} from './schema.js';

export type VerificationRow = typeof backup_verifications.$inferSelect;
export type TestType = (typeof TEST_TYPES)[number];
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/**
 * A request that cannot be accepted, about one field: a 400 whose message and field message are the reason.
 * @example throw refusedField('vm_backup', 'surebackup.field.backup_missing', { id: 12 })
 */
export function refusedField(field: string, key: MessageKey, params?: MessageParams): InvalidInputError {
  const reason = msg(key, params);
  return new InvalidInputError({ [field]: [reason] }, reason);
}

export interface NewVerification {
  /** Exactly one of vm_backup_id and ovf_export_id (the caller checks it). */
  vm_backup_id?: number | null;
  ovf_export_id?: number | null;
  esxi_server_id: number;
  test_type: TestType;
  test_network: string;
  /** '' picks the host's datastore with the most free space. */
  test_datastore: string;
  requested_services: string[];
  http_checks: HttpCheck[];
  schedule_id?: number | null;
  created_by?: number | null;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A completed backup to verify, with its VM's name. @throws InvalidInputError on `vm_backup`. */
async function backupSource(tx: Tx, id: number) {
  const [backup] = await tx
    .select({ backup: vm_backups, status: jobs.status })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .where(eq(vm_backups.id, id));
  if (!backup) throw refusedField('vm_backup', 'surebackup.field.backup_missing', { id });
  if (backup.status !== 'COMPLETED' || !backup.backup.backup_dir)
    throw refusedField('vm_backup', 'surebackup.field.backup_incomplete', { id, status: backup.status });
  return { ids: { vm_backup_id: id }, vm_name: backup.backup.vm_name };
}

/** A completed OVF export to verify, with its VM's name. @throws InvalidInputError on `ovf_export`. */
async function exportSource(tx: Tx, id: number) {
  const [exp] = await tx
    .select({ row: ovf_exports, status: jobs.status })
    .from(ovf_exports)
    .innerJoin(jobs, eq(jobs.id, ovf_exports.job_id))
    .where(eq(ovf_exports.id, id));
  if (!exp) throw refusedField('ovf_export', 'surebackup.field.export_missing', { id });
  if (exp.status !== 'COMPLETED' || !exp.row.package_path)
    throw refusedField('ovf_export', 'surebackup.field.export_incomplete', { id, status: exp.status });
  return { ids: { ovf_export_id: id }, vm_name: exp.row.vm_name };
}

/**
 * Queues a verification of a completed backup.
 * @returns the new row.
 * @throws InvalidInputError (`vm_backup`, `esxi_server`, `test_datastore`) when the backup is unknown or
 *   not COMPLETED, the host unknown or inactive, or the datastore not on that host.
 */
export async function createVerification(db: Db, input: NewVerification): Promise<VerificationRow> {
  return db.transaction(async (tx) => {
    const source = input.ovf_export_id
      ? await exportSource(tx, input.ovf_export_id)
      : await backupSource(tx, input.vm_backup_id as number);
    const [server] = await tx.select().from(esxi_servers).where(eq(esxi_servers.id, input.esxi_server_id));
    if (!server)
      throw refusedField('esxi_server', 'surebackup.field.server_missing', { id: input.esxi_server_id });
    if (!server.is_active)
      throw refusedField('esxi_server', 'surebackup.field.server_inactive', { name: server.name });
    const onHost = await tx
      .select({ name: datastores.name })
      .from(datastores)
      .where(eq(datastores.esxi_server_id, server.id))
      .orderBy(desc(datastores.free_bytes), datastores.name);
    const datastore = input.test_datastore || onHost[0]?.name;
    if (!datastore)
      throw refusedField('test_datastore', 'surebackup.field.no_datastore', { server: server.name });
    if (!onHost.some((d) => d.name === datastore)) {
      const params = { datastore, server: server.name };
      throw refusedField('test_datastore', 'surebackup.field.datastore_not_on_host', params);
    }
    const [job] = await tx
      .insert(jobs)
      .values({
        type: 'verification',
        target_label: source.vm_name,
        esxi_server_id: server.id,
        payload: { ...source.ids, test_type: input.test_type },
        created_by: input.created_by ?? null,
      })
      .returning({ id: jobs.id });
    const [row] = await tx
      .insert(backup_verifications)
      .values({
        ...source.ids,
        esxi_server_id: server.id,
        schedule_id: input.schedule_id ?? null,
        job_id: (job as { id: number }).id,
        test_type: input.test_type,
        test_network: input.test_network,
        test_datastore: datastore,
        requested_services: input.requested_services,
        http_checks: input.http_checks,
      })
      .returning();
    return row as VerificationRow;
  });
}

/** The error of a verification whose job was cancelled without a reason recorded. */
const CANCELLED = storeMessage(msg('jobs.error.cancelled'), 'cancelled');

/**
 * Fails the pending or running verifications whose job ended (cancelled before it started, deleted) without the
 * handler writing their outcome, so that statuses stay in step with jobs. Idempotent; cheap when none.
 */
export async function reconcileVerifications(db: Db): Promise<void> {
  await db.execute(sql`
    update backup_verifications v
    set status = 'failed',
        error_message = coalesce(nullif(v.error_message, ''), j.error, ${CANCELLED}),
        completed_at = coalesce(j.finished_at, now())
    from jobs j
    where j.id = v.job_id and v.status in ('pending', 'running') and j.status in ('FAILED', 'CANCELLED')`);
}

const verificationSelect = (db: Db) =>
  db
    .select({
      v: backup_verifications,
      backup_name: vm_backups.vm_name,
      export_name: ovf_exports.vm_name,
      server_name: esxi_servers.name,
      job_status: jobs.status,
      progress: jobs.progress,
      step: jobs.step,
    })
    .from(backup_verifications)
    .leftJoin(vm_backups, eq(vm_backups.id, backup_verifications.vm_backup_id))
    .leftJoin(ovf_exports, eq(ovf_exports.id, backup_verifications.ovf_export_id))
    .leftJoin(esxi_servers, eq(esxi_servers.id, backup_verifications.esxi_server_id))
    .leftJoin(jobs, eq(jobs.id, backup_verifications.job_id));

type Joined = Awaited<ReturnType<ReturnType<typeof verificationSelect>['execute']>>[number];
const flatten = ({ export_name, ...r }: Joined) => ({
  ...r.v,
  /** The VM's name, from the backup or the OVF export verified. */
  backup_name: r.backup_name ?? export_name ?? '',
  server_name: r.server_name ?? '',
  job_status: r.job_status,
  progress: r.progress ?? 0,
  step: r.step ?? '',
});
export type VerificationListItem = ReturnType<typeof flatten>;

export interface VerificationFilter {
  status?: VerificationStatus;
  test_type?: TestType;
  vm_backup?: number;
  ovf_export?: number;
}

/** Verifications, newest first, with the backup's VM name, the host's name and the job's progress. */
export async function listVerifications(
  db: Db,
  filter: VerificationFilter = {},
  window?: ListWindow,
): Promise<Listed<VerificationListItem>> {
  await reconcileVerifications(db);
  const where: SQL[] = [];
  if (filter.status) where.push(eq(backup_verifications.status, filter.status));
  if (filter.test_type) where.push(eq(backup_verifications.test_type, filter.test_type));
  if (filter.vm_backup) where.push(eq(backup_verifications.vm_backup_id, filter.vm_backup));
  if (filter.ovf_export) where.push(eq(backup_verifications.ovf_export_id, filter.ovf_export));
  const { rows, count } = await listIn(
    db,
    () =>
      verificationSelect(db)
        .where(and(...where))
        .orderBy(desc(backup_verifications.created_at), desc(backup_verifications.id))
        .$dynamic(),
    window,
  );
  return { rows: rows.map(flatten), count };
}

/** One verification, or null. */
export async function getVerification(db: Db, id: number): Promise<VerificationListItem | null> {
  const [row] = await verificationSelect(db).where(eq(backup_verifications.id, id));
  return row ? flatten(row) : null;
}

/** The verification row of a job, or null. */
export async function getVerificationByJob(db: Db, jobId: number): Promise<VerificationRow | null> {
  const [row] = await db.select().from(backup_verifications).where(eq(backup_verifications.job_id, jobId));
  return row ?? null;
}

/** Writes result fields of a verification. */
export async function updateVerification(
  db: Db,
  id: number,
  values: Partial<Omit<VerificationRow, 'id' | 'detailed_log'>>,
): Promise<void> {
  await db.update(backup_verifications).set(values).where(eq(backup_verifications.id, id));
}

/** Appends lines to `detailed_log` (atomically, in SQL). @param lines already timestamped. */
export async function appendVerificationLog(db: Db, id: number, lines: string): Promise<void> {
  await db
    .update(backup_verifications)
    .set({ detailed_log: sql`${backup_verifications.detailed_log} || ${lines}` })
    .where(eq(backup_verifications.id, id));
}

/** Deletes a verification. @returns false when there was none. */
export async function deleteVerification(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(backup_verifications)
    .where(eq(backup_verifications.id, id))
    .returning({ id: backup_verifications.id });
  return rows.length === 1;
}
