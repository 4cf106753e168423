/**
 * @module db/retention: what retention reads and writes: a VM's own policy (`virtual_machines.retention`,
 * null for the default) and the VM's completed restore points with the state that prune needs.
 */
import { and, desc, eq, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { jobs, type RetentionPolicy, virtual_machines, vm_backups } from './schema.js';

/** A completed backup as retention sees it. */
export interface RetainedBackup {
  id: number;
  job_id: number;
  format: 'directory' | 'repository';
  backup_dir: string | null;
  index_path: string | null;
  verification_state: 'unverified' | 'ok' | 'corrupt';
  /** When the backup was taken: its job's start (the snapshot follows it), else when it was queued. */
  taken_at: Date;
  created_at: Date;
}

/**
 * The completed backups of a VM (with a directory), newest first, plus `current` (a backup that has just
 * succeeded, its job not yet marked COMPLETED): what retention counts. Failed or cancelled runs are never
 * listed.
 */
export async function completedBackupsOf(
  db: Db,
  virtualMachineId: number,
  current: number | null,
): Promise<RetainedBackup[]> {
  const done = and(eq(jobs.status, 'COMPLETED'), isNotNull(vm_backups.backup_dir));
  const takenAt = sql<Date>`coalesce(${jobs.started_at}, ${vm_backups.created_at})`.mapWith(
    (v: string | Date) => new Date(v),
  );
  return db
    .select({
      id: vm_backups.id,
      job_id: vm_backups.job_id,
      format: vm_backups.format,
      backup_dir: vm_backups.backup_dir,
      index_path: vm_backups.index_path,
      verification_state: vm_backups.verification_state,
      taken_at: takenAt,
      created_at: vm_backups.created_at,
    })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .where(
      and(
        eq(vm_backups.virtual_machine_id, virtualMachineId),
        current === null ? done : or(done, eq(vm_backups.id, current)),
      ),
    )
    .orderBy(desc(takenAt), desc(vm_backups.id));
}

/** The VM's own retention policy: null when it has none (or the VM is unknown). */
export async function getVmRetention(db: Db, virtualMachineId: number): Promise<RetentionPolicy | null> {
  const [row] = await db
    .select({ retention: virtual_machines.retention })
    .from(virtual_machines)
    .where(eq(virtual_machines.id, virtualMachineId));
  return row?.retention ?? null;
}

/**
 * Sets a VM's retention policy (null: back to the default).
 * @returns false when no VM has this id.
 */
export async function setVmRetention(
  db: Db,
  virtualMachineId: number,
  policy: RetentionPolicy | null,
): Promise<boolean> {
  const rows = await db
    .update(virtual_machines)
    .set({ retention: policy })
    .where(eq(virtual_machines.id, virtualMachineId))
    .returning({ id: virtual_machines.id });
  return rows.length > 0;
}
