/**
 * @module db/snapshot-records: the snapshots each snapshot schedule made (`snapshot_schedule_snapshots`), by
 * MoRef: written before CreateSnapshot_Task, confirmed with the task's result or by reading the tree, dropped
 * once the snapshot is gone. Also the VM's snapshot list as last read (`virtual_machines.snapshots`).
 */
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import {
  jobs,
  snapshot_schedule_snapshots,
  snapshot_schedules,
  type VmSnapshot,
  virtual_machines,
} from './schema.js';

export type SnapshotRecord = typeof snapshot_schedule_snapshots.$inferSelect;

/** Records a snapshot a schedule is about to make (MoRef unknown yet). @returns the record. */
export async function recordAskedSnapshot(
  db: Db,
  input: { schedule_id: number; vm_moref: string; snapshot_name: string; job_id: number },
): Promise<SnapshotRecord> {
  const [row] = await db.insert(snapshot_schedule_snapshots).values(input).returning();
  return row as SnapshotRecord;
}

/** Confirms a record with the snapshot's MoRef. */
export async function confirmSnapshot(db: Db, id: number, moref: string): Promise<void> {
  await db
    .update(snapshot_schedule_snapshots)
    .set({ snapshot_moref: moref })
    .where(eq(snapshot_schedule_snapshots.id, id));
}

/** Every record of a schedule, oldest first. */
export async function scheduleRecords(db: Db, scheduleId: number): Promise<SnapshotRecord[]> {
  return db
    .select()
    .from(snapshot_schedule_snapshots)
    .where(eq(snapshot_schedule_snapshots.schedule_id, scheduleId))
    .orderBy(asc(snapshot_schedule_snapshots.created_at), asc(snapshot_schedule_snapshots.id));
}

/** The records made by one job (an interrupted create's). */
export async function jobRecords(db: Db, jobId: number): Promise<SnapshotRecord[]> {
  return db.select().from(snapshot_schedule_snapshots).where(eq(snapshot_schedule_snapshots.job_id, jobId));
}

/**
 * The confirmed records of the schedules of VM `vmId` (the page's "scheduled" mark, the vanished ones).
 * By VM id, not MoRef alone: standalone hosts reuse small MoRef values.
 */
export async function recordsOfVm(db: Db, vmId: number): Promise<SnapshotRecord[]> {
  const rows = await db
    .select({ record: snapshot_schedule_snapshots })
    .from(snapshot_schedule_snapshots)
    .innerJoin(snapshot_schedules, eq(snapshot_schedules.id, snapshot_schedule_snapshots.schedule_id))
    .where(
      and(
        eq(snapshot_schedules.virtual_machine_id, vmId),
        isNotNull(snapshot_schedule_snapshots.snapshot_moref),
      ),
    );
  return rows.map((r) => r.record);
}

/** Drops records (snapshots removed, by the schedule or by hand). */
export async function dropRecords(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.delete(snapshot_schedule_snapshots).where(inArray(snapshot_schedule_snapshots.id, ids));
}

/** Stores a VM's snapshot list as just read from its host (between two inventory syncs). */
export async function setVmSnapshots(db: Db, vmId: number, snapshots: VmSnapshot[]): Promise<void> {
  await db.update(virtual_machines).set({ snapshots }).where(eq(virtual_machines.id, vmId));
}

/** Stores a VM's power state as just read from its host (after a revert). */
export async function setVmPowerState(db: Db, vmId: number, powerState: string): Promise<void> {
  await db.update(virtual_machines).set({ power_state: powerState }).where(eq(virtual_machines.id, vmId));
}

/** Whether a snapshot job of VM `vmId` is queued or running (the VM page refreshes its tree meanwhile). */
export async function snapshotJobActive(db: Db, vmId: number): Promise<boolean> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.type, ['snapshot_create', 'snapshot_revert', 'snapshot_remove']),
        inArray(jobs.status, ['PENDING', 'IN_PROGRESS']),
        sql`${jobs.payload}->>'virtual_machine_id' = ${String(vmId)}`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}
