/**
 * @module db/verification-schedules: BackupVerificationSchedule rows: list and read them with the VM's and the
 * host's names, insert, change, delete, and check what a schedule names (VM, host, datastore on that host).
 * `next_run_at` is computed by the caller (src/surebackup/schedules.ts). Timestamps are written from JS dates
 * (millisecond precision) so that the values read back compare equal in the claims
 * (db/verification-schedule-claims.ts).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3 (BackupVerificationSchedule)
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import type { VERIFICATION_FREQUENCIES, VERIFICATION_SOURCES } from './schema.js';
import {
  datastores,
  esxi_servers,
  type TEST_TYPES,
  verification_schedules,
  virtual_machines,
} from './schema.js';
import { refusedField } from './verifications.js';

export type ScheduleRow = typeof verification_schedules.$inferSelect;

/** A schedule as created or changed, in the columns' names. */
export interface ScheduleInput {
  name: string;
  virtual_machine_id: number | null;
  esxi_server_id: number;
  frequency: (typeof VERIFICATION_FREQUENCIES)[number];
  source: (typeof VERIFICATION_SOURCES)[number];
  test_type: (typeof TEST_TYPES)[number];
  test_network: string;
  test_datastore: string;
  services: string[];
  is_active: boolean;
}

/**
 * Checks the VM, host and datastore a schedule names.
 * @throws InvalidInputError on `virtual_machine`, `esxi_server` or `test_datastore`.
 */
export async function checkScheduleTargets(
  db: Db,
  input: Pick<ScheduleInput, 'virtual_machine_id' | 'esxi_server_id' | 'test_datastore'>,
): Promise<void> {
  if (input.virtual_machine_id !== null) {
    const [vm] = await db
      .select({ id: virtual_machines.id })
      .from(virtual_machines)
      .where(eq(virtual_machines.id, input.virtual_machine_id));
    if (!vm)
      throw refusedField('virtual_machine', 'surebackup.field.vm_missing', { id: input.virtual_machine_id });
  }
  const [server] = await db.select().from(esxi_servers).where(eq(esxi_servers.id, input.esxi_server_id));
  if (!server)
    throw refusedField('esxi_server', 'surebackup.field.server_missing', { id: input.esxi_server_id });
  if (!input.test_datastore) return;
  const [ds] = await db
    .select({ id: datastores.id })
    .from(datastores)
    .where(and(eq(datastores.esxi_server_id, server.id), eq(datastores.name, input.test_datastore)));
  if (!ds) {
    const params = { datastore: input.test_datastore, server: server.name };
    throw refusedField('test_datastore', 'surebackup.field.datastore_not_on_host', params);
  }
}

const scheduleSelect = (db: Db) =>
  db
    .select({ s: verification_schedules, vm_name: virtual_machines.name, server_name: esxi_servers.name })
    .from(verification_schedules)
    .leftJoin(virtual_machines, eq(virtual_machines.id, verification_schedules.virtual_machine_id))
    .leftJoin(esxi_servers, eq(esxi_servers.id, verification_schedules.esxi_server_id));
type Joined = Awaited<ReturnType<ReturnType<typeof scheduleSelect>['execute']>>[number];
const flatten = (r: Joined) => ({ ...r.s, vm_name: r.vm_name, server_name: r.server_name ?? '' });
export type ScheduleListItem = ReturnType<typeof flatten>;

/** Every schedule, oldest first, with the VM's and the host's names. */
export async function listSchedules(db: Db): Promise<ScheduleListItem[]> {
  return (await scheduleSelect(db).orderBy(asc(verification_schedules.id))).map(flatten);
}

/** One schedule, or null. */
export async function getSchedule(db: Db, id: number): Promise<ScheduleListItem | null> {
  const [row] = await scheduleSelect(db).where(eq(verification_schedules.id, id));
  return row ? flatten(row) : null;
}

/** Inserts a schedule (checked by the caller). */
export async function insertSchedule(
  db: Db,
  input: ScheduleInput & { next_run_at: Date | null },
): Promise<ScheduleRow> {
  const now = new Date();
  const [row] = await db
    .insert(verification_schedules)
    .values({ ...input, created_at: now, updated_at: now })
    .returning();
  return row as ScheduleRow;
}

/** Writes fields of a schedule (and `updated_at`). @returns the row, or null when there is none. */
export async function updateScheduleRow(
  db: Db,
  id: number,
  values: Partial<ScheduleInput & { next_run_at: Date | null }>,
): Promise<ScheduleRow | null> {
  const [row] = await db
    .update(verification_schedules)
    .set({ ...values, updated_at: new Date() })
    .where(eq(verification_schedules.id, id))
    .returning();
  return row ?? null;
}

/** Deletes a schedule (its verifications stay, unlinked). @returns false when there was none. */
export async function deleteSchedule(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(verification_schedules)
    .where(eq(verification_schedules.id, id))
    .returning({ id: verification_schedules.id });
  return rows.length === 1;
}
