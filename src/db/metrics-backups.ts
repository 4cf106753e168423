/**
 * @module db/metrics-backups: the aggregate queries behind the Prometheus "Backups" family
 * (src/metrics/backups.ts), read from the `vm_backup` jobs (one job per backup of a VM; its status is the
 * backup's).
 */
import { and, count, eq, max } from 'drizzle-orm';
import type { Db } from './client.js';
import { esxi_servers, type JobStatus, jobs, virtual_machines, vm_backups } from './schema.js';

/** How many `vm_backup` jobs have one status. */
export interface BackupStatusCount {
  status: JobStatus;
  n: number;
}

/** The end of the last completed backup of one VM. */
export interface LastBackup {
  /** The ESXi server's name. */
  server: string;
  /** The VM's name. */
  vm: string;
  /** `finished_at` of its last COMPLETED backup job (null if that job has none). */
  at: Date | null;
}

/**
 * Counts the `vm_backup` jobs by status: one row per status that has at least one job (a status with none
 * is absent). One grouped query.
 */
export async function backupCountsByStatus(db: Db): Promise<BackupStatusCount[]> {
  return db
    .select({ status: jobs.status, n: count() })
    .from(jobs)
    .where(eq(jobs.type, 'vm_backup'))
    .groupBy(jobs.status);
}

/**
 * The end of the last completed backup of each VM present in the inventory, by server and VM name: VMs
 * without a completed backup are absent. One grouped query over `vm_backups` joined to their jobs.
 */
export async function lastCompletedBackupByVm(db: Db): Promise<LastBackup[]> {
  return db
    .select({ server: esxi_servers.name, vm: virtual_machines.name, at: max(jobs.finished_at) })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .innerJoin(virtual_machines, eq(virtual_machines.id, vm_backups.virtual_machine_id))
    .innerJoin(esxi_servers, eq(esxi_servers.id, virtual_machines.esxi_server_id))
    .where(and(eq(jobs.status, 'COMPLETED'), eq(virtual_machines.is_present, true)))
    .groupBy(esxi_servers.name, virtual_machines.name);
}
