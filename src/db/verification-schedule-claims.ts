/**
 * @module db/verification-schedule-claims: what the verification scheduler (src/surebackup/scheduler.ts) reads
 * and claims: due timed schedules, after_backup schedules, the backups (or OVF exports, for a schedule whose
 * source is `ovf_export`) a run verifies, and the claim that makes
 * a run happen once across every app process: a conditional UPDATE of `next_run_at` (timed) or `last_run_at`
 * (after_backup) that only the first process sees succeed (row count 1). Timestamps are JS dates (millisecond
 * precision) so that the value read back compares equal.
 */
import { and, asc, desc, eq, gte, isNull, lte, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { jobs, ovf_exports, verification_schedules, vm_backups } from './schema.js';
import type { ScheduleRow } from './verification-schedules.js';

/** Active timed schedules whose `next_run_at` has passed. */
export async function dueSchedules(db: Db, now = new Date()): Promise<ScheduleRow[]> {
  return db
    .select()
    .from(verification_schedules)
    .where(
      and(
        eq(verification_schedules.is_active, true),
        ne(verification_schedules.frequency, 'after_backup'),
        lte(verification_schedules.next_run_at, now),
      ),
    );
}

/** Active after_backup schedules. */
export async function afterBackupSchedules(db: Db): Promise<ScheduleRow[]> {
  return db
    .select()
    .from(verification_schedules)
    .where(
      and(eq(verification_schedules.is_active, true), eq(verification_schedules.frequency, 'after_backup')),
    );
}

/**
 * Claims one run of a schedule: sets `last_run_at` to `now` (and `next_run_at` to `next` for a timed one) only
 * if the row still holds the values this process read.
 * @param next the following run of a timed schedule (ignored for after_backup).
 * @returns true for the one caller whose UPDATE changed the row.
 */
export async function claimScheduleRun(
  db: Db,
  seen: ScheduleRow,
  now: Date,
  next: Date | null,
): Promise<boolean> {
  const timed = seen.frequency !== 'after_backup';
  const guard: SQL | undefined = timed
    ? seen.next_run_at
      ? eq(verification_schedules.next_run_at, seen.next_run_at)
      : isNull(verification_schedules.next_run_at)
    : seen.last_run_at
      ? eq(verification_schedules.last_run_at, seen.last_run_at)
      : isNull(verification_schedules.last_run_at);
  const rows = await db
    .update(verification_schedules)
    .set({ last_run_at: now, ...(timed ? { next_run_at: next } : {}) })
    .where(and(eq(verification_schedules.id, seen.id), eq(verification_schedules.is_active, true), guard))
    .returning({ id: verification_schedules.id });
  return rows.length === 1;
}

/** Completed backups an after_backup schedule has not verified yet (finished after it was created), oldest first. */
export async function unverifiedBackups(db: Db, s: ScheduleRow): Promise<number[]> {
  const rows = await db
    .select({ id: vm_backups.id })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .where(
      and(
        eq(jobs.status, 'COMPLETED'),
        sql`${vm_backups.backup_dir} is not null`,
        gte(jobs.finished_at, s.created_at),
        s.virtual_machine_id === null ? undefined : eq(vm_backups.virtual_machine_id, s.virtual_machine_id),
        sql`not exists (select 1 from backup_verifications v where v.schedule_id = ${s.id} and v.vm_backup_id = ${vm_backups.id})`,
      ),
    )
    .orderBy(asc(vm_backups.id));
  return rows.map((r) => r.id);
}

/** The newest completed backup of the schedule's VM, or of every VM when it has none: what a timed run verifies. */
export async function latestBackups(db: Db, s: ScheduleRow): Promise<number[]> {
  const rows = await db
    .selectDistinctOn([vm_backups.virtual_machine_id], { id: vm_backups.id })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .where(
      and(
        eq(jobs.status, 'COMPLETED'),
        sql`${vm_backups.backup_dir} is not null`,
        sql`${vm_backups.virtual_machine_id} is not null`,
        s.virtual_machine_id === null ? undefined : eq(vm_backups.virtual_machine_id, s.virtual_machine_id),
      ),
    )
    .orderBy(vm_backups.virtual_machine_id, desc(vm_backups.id));
  return rows.map((r) => r.id);
}

/** Completed OVF exports an after_backup schedule of exports has not verified yet (finished after it was created), oldest first. */
export async function unverifiedExports(db: Db, s: ScheduleRow): Promise<number[]> {
  const rows = await db
    .select({ id: ovf_exports.id })
    .from(ovf_exports)
    .innerJoin(jobs, eq(jobs.id, ovf_exports.job_id))
    .where(
      and(
        eq(jobs.status, 'COMPLETED'),
        sql`${ovf_exports.package_path} is not null`,
        gte(jobs.finished_at, s.created_at),
        s.virtual_machine_id === null ? undefined : eq(ovf_exports.virtual_machine_id, s.virtual_machine_id),
        sql`not exists (select 1 from backup_verifications v where v.schedule_id = ${s.id} and v.ovf_export_id = ${ovf_exports.id})`,
      ),
    )
    .orderBy(asc(ovf_exports.id));
  return rows.map((r) => r.id);
}

/** The newest completed OVF export of the schedule's VM, or of every VM when it has none: what a timed run of exports verifies. */
export async function latestExports(db: Db, s: ScheduleRow): Promise<number[]> {
  const rows = await db
    .selectDistinctOn([ovf_exports.virtual_machine_id], { id: ovf_exports.id })
    .from(ovf_exports)
    .innerJoin(jobs, eq(jobs.id, ovf_exports.job_id))
    .where(
      and(
        eq(jobs.status, 'COMPLETED'),
        sql`${ovf_exports.package_path} is not null`,
        sql`${ovf_exports.virtual_machine_id} is not null`,
        s.virtual_machine_id === null ? undefined : eq(ovf_exports.virtual_machine_id, s.virtual_machine_id),
      ),
    )
    .orderBy(ovf_exports.virtual_machine_id, desc(ovf_exports.id));
  return rows.map((r) => r.id);
}
