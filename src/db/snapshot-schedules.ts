/**
 * @module db/snapshot-schedules: snapshot schedules by resource (list with their VM, one, create, update,
 * delete) and the count behind `esxi_snapshot_schedules_active`.
 */
import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { esxi_servers, snapshot_schedules, virtual_machines } from './schema.js';

export type SnapshotScheduleRow = typeof snapshot_schedules.$inferSelect;
export type SnapshotScheduleInput = Omit<
  typeof snapshot_schedules.$inferInsert,
  'id' | 'created_at' | 'updated_at' | 'last_run_at' | 'last_error'
>;

/** A schedule with its VM's name, host and MoRef. */
export interface SnapshotScheduleView {
  schedule: SnapshotScheduleRow;
  vm_name: string;
  vm_moref: string;
  esxi_server_id: number;
  server_name: string;
}

const columns = {
  schedule: snapshot_schedules,
  vm_name: virtual_machines.name,
  vm_moref: virtual_machines.moref,
  esxi_server_id: virtual_machines.esxi_server_id,
  server_name: esxi_servers.name,
};

const joined = (db: Db) =>
  db
    .select(columns)
    .from(snapshot_schedules)
    .innerJoin(virtual_machines, eq(virtual_machines.id, snapshot_schedules.virtual_machine_id))
    .innerJoin(esxi_servers, eq(esxi_servers.id, virtual_machines.esxi_server_id));

/** Every schedule (of one VM when `vmId` is given), by name then id. */
export async function listSnapshotSchedules(db: Db, vmId?: number): Promise<SnapshotScheduleView[]> {
  return joined(db)
    .where(vmId === undefined ? undefined : eq(snapshot_schedules.virtual_machine_id, vmId))
    .orderBy(asc(snapshot_schedules.name), asc(snapshot_schedules.id));
}

/** One schedule with its VM, or null. */
export async function getSnapshotSchedule(db: Db, id: number): Promise<SnapshotScheduleView | null> {
  const [row] = await joined(db).where(eq(snapshot_schedules.id, id));
  return row ?? null;
}

/** Inserts a schedule. @returns its id. */
export async function insertSnapshotSchedule(db: Db, input: SnapshotScheduleInput): Promise<number> {
  const [row] = await db.insert(snapshot_schedules).values(input).returning({ id: snapshot_schedules.id });
  return (row as { id: number }).id;
}

/** Updates a schedule's settings. @returns false when there is no such schedule. */
export async function updateSnapshotSchedule(
  db: Db,
  id: number,
  input: Partial<SnapshotScheduleInput>,
): Promise<boolean> {
  const rows = await db
    .update(snapshot_schedules)
    .set({ ...input, updated_at: new Date() })
    .where(eq(snapshot_schedules.id, id))
    .returning({ id: snapshot_schedules.id });
  return rows.length === 1;
}

/** Deletes a schedule (its records go with it; its snapshots stay on the host). @returns false when absent. */
export async function deleteSnapshotSchedule(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(snapshot_schedules)
    .where(eq(snapshot_schedules.id, id))
    .returning({ id: snapshot_schedules.id });
  return rows.length === 1;
}

/** Records the outcome of a run: the error as a stored message, or null after a success. */
export async function setSnapshotScheduleError(db: Db, id: number, error: string | null): Promise<void> {
  await db.update(snapshot_schedules).set({ last_error: error }).where(eq(snapshot_schedules.id, id));
}

/** How many schedules are active (`esxi_snapshot_schedules_active`). One aggregate query. */
export async function activeSnapshotScheduleCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(snapshot_schedules)
    .where(and(eq(snapshot_schedules.is_active, true)));
  return row?.n ?? 0;
}
