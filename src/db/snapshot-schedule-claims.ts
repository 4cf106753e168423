/**
 * @module db/snapshot-schedule-claims: what the snapshot scheduler (src/snapshots/scheduler.ts) reads and
 * claims: due schedules and the claim that makes a slot run once across every app process, a conditional
 * UPDATE of `next_run_at` that only the first process sees succeed (row count 1).
 */
import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db } from './client.js';
import { snapshot_schedules } from './schema.js';
import type { SnapshotScheduleRow } from './snapshot-schedules.js';

/** Active schedules whose `next_run_at` has passed (`now` included). */
export async function dueSnapshotSchedules(db: Db, now: Date): Promise<SnapshotScheduleRow[]> {
  return db
    .select()
    .from(snapshot_schedules)
    .where(and(eq(snapshot_schedules.is_active, true), lte(snapshot_schedules.next_run_at, now)));
}

/**
 * Claims the slot a process saw: sets `last_run_at` to `now` and `next_run_at` to `next` only if the row still
 * holds the `next_run_at` this process read.
 * @returns true for the one caller whose UPDATE changed the row.
 */
export async function claimSnapshotSlot(
  db: Db,
  seen: SnapshotScheduleRow,
  now: Date,
  next: Date | null,
): Promise<boolean> {
  const guard = seen.next_run_at
    ? eq(snapshot_schedules.next_run_at, seen.next_run_at)
    : isNull(snapshot_schedules.next_run_at);
  const rows = await db
    .update(snapshot_schedules)
    .set({ last_run_at: now, next_run_at: next })
    .where(and(eq(snapshot_schedules.id, seen.id), eq(snapshot_schedules.is_active, true), guard))
    .returning({ id: snapshot_schedules.id });
  return rows.length === 1;
}
