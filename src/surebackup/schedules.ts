/**
 * @module surebackup/schedules: creating and changing a verification schedule: what it names is checked (VM,
 * host, datastore on that host) and `next_run_at` computed (src/surebackup/schedule-time.ts; null for
 * after_backup or an inactive schedule). The rows are read and written by src/db/verification-schedules.ts.
 */
import type { Db } from '../db/client.js';
import {
  checkScheduleTargets,
  insertSchedule,
  type ScheduleInput,
  type ScheduleRow,
  updateScheduleRow,
} from '../db/verification-schedules.js';
import { scheduleById } from './lookup.js';
import { nextRunAt } from './schedule-time.js';

/** Creates a schedule. @throws InvalidInputError naming the field (unknown VM or host, datastore not on the host). */
export async function createSchedule(db: Db, input: ScheduleInput): Promise<ScheduleRow> {
  await checkScheduleTargets(db, input);
  return insertSchedule(db, { ...input, next_run_at: input.is_active ? nextRunAt(input.frequency) : null });
}

/**
 * Changes a schedule; `next_run_at` is recomputed when the frequency or `is_active` changes.
 * @returns the row.
 * @throws NotFoundError when there is none; InvalidInputError naming the field.
 */
export async function updateSchedule(
  db: Db,
  id: number,
  patch: Partial<ScheduleInput>,
): Promise<ScheduleRow> {
  const current = await scheduleById(db, id);
  const merged = { ...current, ...patch };
  await checkScheduleTargets(db, merged);
  const timing = patch.frequency !== undefined || patch.is_active !== undefined;
  const next = merged.is_active ? nextRunAt(merged.frequency) : null;
  const row = await updateScheduleRow(db, id, { ...patch, ...(timing ? { next_run_at: next } : {}) });
  return row ?? scheduleById(db, id);
}
