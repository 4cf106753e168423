/**
 * @module db/reports: what the PDF reports and the daily summary read: each present VM's last good restore
 * point (completed, not found corrupt) with its repository; the verifications of a period; the failures of
 * the last hours. Rows of `db.execute` come as arrays (postgres-js) or `{ rows }` (PGlite).
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';

/** One VM of the protection report. */
export interface ProtectionRow {
  vm_id: number;
  vm: string;
  host: string;
  backup_id: number | null;
  at: Date | null;
  repository: string | null;
}

/** One verification of the verification report. */
export interface VerificationReportRow {
  id: number;
  vm: string;
  host: string;
  test_type: string;
  status: string;
  at: Date;
  boot_time_seconds: number | null;
  services_checked: Record<string, boolean>;
  error_message: string;
  detailed_log: string;
}

/** One failure of the daily summary. */
export interface FailureRow {
  what: 'backup' | 'verification';
  vm: string;
  host: string;
  at: Date;
  error: string;
}

function rows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as T[];
}

const date = (v: unknown): Date | null => (v ? new Date(v as string) : null);

/** Present VMs with their last good restore point, those without one first, then by name. */
export async function protectionRows(db: Db): Promise<ProtectionRow[]> {
  const result = await db.execute(sql`
    select vm.id as vm_id, vm.name as vm, s.name as host, b.id as backup_id, b.finished_at as at, sp.name as repository
    from virtual_machines vm
    join esxi_servers s on s.id = vm.esxi_server_id
    left join lateral (
      select b.id, j.finished_at, b.storage_path_id from vm_backups b join jobs j on j.id = b.job_id
      where b.virtual_machine_id = vm.id and j.status = 'COMPLETED' and b.backup_dir is not null
        and b.verification_state <> 'corrupt'
      order by j.finished_at desc nulls last, b.id desc limit 1
    ) b on true
    left join storage_paths sp on sp.id = b.storage_path_id
    where vm.is_present
    order by (b.id is null) desc, vm.name, s.name`);
  return rows<Record<string, unknown>>(result).map((r) => ({
    vm_id: Number(r.vm_id),
    vm: String(r.vm),
    host: String(r.host),
    backup_id: r.backup_id === null ? null : Number(r.backup_id),
    at: date(r.at),
    repository: (r.repository as string | null) ?? null,
  }));
}

/** Verifications started (or created) in [from, to), by VM name then time. */
export async function verificationReportRows(db: Db, from: Date, to: Date): Promise<VerificationReportRow[]> {
  const result = await db.execute(sql`
    select v.id, coalesce(b.vm_name, '?') as vm, coalesce(s.name, '?') as host, v.test_type, v.status,
      coalesce(v.started_at, v.created_at) as at, v.boot_time_seconds, v.services_checked, v.error_message,
      v.detailed_log
    from backup_verifications v
    left join vm_backups b on b.id = v.vm_backup_id
    left join esxi_servers s on s.id = v.esxi_server_id
    where coalesce(v.started_at, v.created_at) >= ${from.toISOString()}::timestamptz
      and coalesce(v.started_at, v.created_at) < ${to.toISOString()}::timestamptz
    order by vm, at, v.id`);
  return rows<Record<string, unknown>>(result).map((r) => ({
    id: Number(r.id),
    vm: String(r.vm),
    host: String(r.host),
    test_type: String(r.test_type),
    status: String(r.status),
    at: date(r.at) as Date,
    boot_time_seconds: r.boot_time_seconds === null ? null : Number(r.boot_time_seconds),
    services_checked: (typeof r.services_checked === 'string'
      ? JSON.parse(r.services_checked)
      : r.services_checked) as Record<string, boolean>,
    error_message: String(r.error_message ?? ''),
    detailed_log: String(r.detailed_log ?? ''),
  }));
}

/** Failed VM backups and verifications finished after `since`, newest first. */
export async function failuresSince(db: Db, since: Date): Promise<FailureRow[]> {
  const result = await db.execute(sql`
    select 'backup' as what, b.vm_name as vm, coalesce(s.name, '?') as host, j.finished_at as at, coalesce(j.error, '') as error
    from vm_backups b join jobs j on j.id = b.job_id left join esxi_servers s on s.id = b.esxi_server_id
    where j.status = 'FAILED' and j.finished_at >= ${since.toISOString()}::timestamptz
    union all
    select 'verification', coalesce(b.vm_name, '?'), coalesce(s.name, '?'), v.completed_at, v.error_message
    from backup_verifications v left join vm_backups b on b.id = v.vm_backup_id
    left join esxi_servers s on s.id = v.esxi_server_id
    where v.status = 'failed' and v.completed_at >= ${since.toISOString()}::timestamptz
    order by at desc`);
  return rows<Record<string, unknown>>(result).map((r) => ({
    what: r.what as FailureRow['what'],
    vm: String(r.vm),
    host: String(r.host),
    at: date(r.at) as Date,
    error: String(r.error ?? ''),
  }));
}

/** The VM and host names of backups (the corrupt restore points of a repository verify), by backup id. */
export async function backupNames(
  db: Db,
  ids: number[],
): Promise<Array<{ backup: number; vm: string; host: string }>> {
  if (!ids.length) return [];
  const result = await db.execute(sql`
    select b.id as backup, b.vm_name as vm, coalesce(s.name, '?') as host
    from vm_backups b left join esxi_servers s on s.id = b.esxi_server_id
    where b.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})
    order by b.id`);
  return rows<Record<string, unknown>>(result).map((r) => ({
    backup: Number(r.backup),
    vm: String(r.vm),
    host: String(r.host),
  }));
}
