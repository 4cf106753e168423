/**
 * @module surebackup/schedules-db: BackupVerificationSchedule CRUD, with `next_run_at` computed and the VM, host
 * and datastore checked. The scheduler's reads and claims are in schedule-claims.ts. Timestamps are written from
 * JS dates (millisecond precision) so that the values read back compare equal in the claims.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3 (BackupVerificationSchedule)
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  datastores,
  esxi_servers,
  type TEST_TYPES,
  verification_schedules,
  virtual_machines,
} from '../db/schema.js';
import { VerificationRequestError } from '../db/verifications.js';
import { type Frequency, nextRunAt } from './schedule-time.js';

export type ScheduleRow = typeof verification_schedules.$inferSelect;

export interface ScheduleInput {
  name: string;
  virtual_machine_id: number | null;
  esxi_server_id: number;
  frequency: Frequency;
  test_type: (typeof TEST_TYPES)[number];
  test_network: string;
  test_datastore: string;
  services: string[];
  is_active: boolean;
}

/** Checks the VM, host and datastore of a schedule. @throws VerificationRequestError naming the field. */
async function check(
  db: Db,
  input: Pick<ScheduleInput, 'virtual_machine_id' | 'esxi_server_id' | 'test_datastore'>,
) {
  if (input.virtual_machine_id !== null) {
    const [vm] = await db
      .select({ id: virtual_machines.id })
      .from(virtual_machines)
      .where(eq(virtual_machines.id, input.virtual_machine_id));
    if (!vm)
      throw new VerificationRequestError(
        'virtual_machine',
        `Virtual machine ${input.virtual_machine_id} does not exist.`,
      );
  }
  const [server] = await db.select().from(esxi_servers).where(eq(esxi_servers.id, input.esxi_server_id));
  if (!server)
    throw new VerificationRequestError('esxi_server', `ESXi server ${input.esxi_server_id} does not exist.`);
  if (!input.test_datastore) return;
  const [ds] = await db
    .select({ id: datastores.id })
    .from(datastores)
    .where(and(eq(datastores.esxi_server_id, server.id), eq(datastores.name, input.test_datastore)));
  if (!ds)
    throw new VerificationRequestError(
      'test_datastore',
      `The datastore ${input.test_datastore} is not on ${server.name}.`,
    );
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

/** Creates a schedule; `next_run_at` is computed (null for after_backup or inactive). @throws VerificationRequestError. */
export async function createSchedule(db: Db, input: ScheduleInput): Promise<ScheduleRow> {
  await check(db, input);
  const next = input.is_active ? nextRunAt(input.frequency) : null;
  const now = new Date();
  const [row] = await db
    .insert(verification_schedules)
    .values({ ...input, next_run_at: next, created_at: now, updated_at: now })
    .returning();
  return row as ScheduleRow;
}

/**
 * Changes a schedule; `next_run_at` is recomputed when the frequency or `is_active` changes.
 * @returns the row, or null when there is none. @throws VerificationRequestError.
 */
export async function updateSchedule(
  db: Db,
  id: number,
  patch: Partial<ScheduleInput>,
): Promise<ScheduleRow | null> {
  const current = await getSchedule(db, id);
  if (!current) return null;
  const merged = { ...current, ...patch };
  await check(db, merged);
  const timing = patch.frequency !== undefined || patch.is_active !== undefined;
  const next = merged.is_active ? nextRunAt(merged.frequency) : null;
  const [row] = await db
    .update(verification_schedules)
    .set({ ...patch, ...(timing ? { next_run_at: next } : {}), updated_at: new Date() })
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
