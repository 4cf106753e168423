/**
 * @module surebackup/scheduler: the periodic pass that turns verification schedules into verifications.
 * Timed schedules (daily, weekly, monthly) whose `next_run_at` has passed verify the newest completed backup of
 * their VM (or of every VM); a schedule whose source is `ovf_export` does the same with completed OVF exports. `after_backup` schedules are served by the same pass rather than a hook in the backup
 * job: every COMPLETED backup (of the schedule's VM, or of any VM), finished after the schedule was created and
 * without a verification from that schedule, gets one. This survives crashes and restarts (nothing is lost
 * between the backup's end and the hook) at the cost of up to one interval of delay
 * (VERIFICATION_SCHEDULER_INTERVAL_SECONDS). Each run is claimed in the transaction that creates its
 * verifications, so a schedule fires once even with several app processes.
 */
import {
  afterBackupSchedules,
  claimScheduleRun,
  dueSchedules,
  latestBackups,
  latestExports,
  unverifiedBackups,
  unverifiedExports,
} from '../db/verification-schedule-claims.js';
import type { ScheduleRow } from '../db/verification-schedules.js';
import { createVerification } from '../db/verifications.js';
import type { AppDeps } from '../deps.js';
import { nextRunAt } from './schedule-time.js';

/** What a schedule's runs verify: its source's newest (timed) or not yet verified (after_backup) items. */
const picks = (s: ScheduleRow) =>
  s.source === 'ovf_export'
    ? { latest: latestExports, unverified: unverifiedExports }
    : { latest: latestBackups, unverified: unverifiedBackups };

/**
 * Claims one run of a schedule and queues a verification of each backup (or OVF export, per the schedule's
 * source) `pick` returns (read after the claim).
 * @returns how many verifications were queued (0 when another process claimed the run).
 */
async function fire(deps: AppDeps, s: ScheduleRow, pick: typeof latestBackups): Promise<number> {
  const created = await deps.db.transaction(async (tx) => {
    const now = new Date();
    if (!(await claimScheduleRun(tx, s, now, nextRunAt(s.frequency, now)))) return 0;
    let count = 0;
    for (const id of await pick(tx, s)) {
      try {
        await createVerification(tx, {
          ...(s.source === 'ovf_export' ? { ovf_export_id: id } : { vm_backup_id: id }),
          esxi_server_id: s.esxi_server_id,
          test_type: s.test_type,
          test_network: s.test_network,
          test_datastore: s.test_datastore,
          requested_services: s.services,
          http_checks: [],
          schedule_id: s.id,
        });
        count++;
      } catch (err) {
        deps.logger.warn({ schedule: s.id, [s.source]: id, err }, 'scheduled verification not created');
      }
    }
    return count;
  });
  if (created > 0) {
    deps.logger.info({ schedule: s.id, name: s.name, created }, 'scheduled verifications queued');
    deps.jobs?.wake();
  }
  return created;
}

/**
 * One scheduler pass (see the module doc).
 * @returns how many verifications this pass queued.
 * @throws the database error when the schedules cannot be read.
 */
export async function runSchedulerPass(deps: AppDeps, now = new Date()): Promise<number> {
  let created = 0;
  for (const s of await dueSchedules(deps.db, now)) created += await fire(deps, s, picks(s).latest);
  for (const s of await afterBackupSchedules(deps.db)) {
    const { unverified } = picks(s);
    if ((await unverified(deps.db, s)).length === 0) continue;
    created += await fire(deps, s, unverified);
  }
  return created;
}

/**
 * Runs a pass every `intervalSeconds` (default: the VERIFICATION_SCHEDULER_INTERVAL_SECONDS setting; 0: never).
 * Errors are logged, never thrown; passes never overlap.
 * @returns a function that stops the scheduler.
 */
export function startVerificationScheduler(deps: AppDeps, intervalSeconds?: number): () => void {
  const seconds = intervalSeconds ?? deps.config.verificationSchedulerIntervalSeconds;
  if (seconds <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runSchedulerPass(deps)
      .catch((err: unknown) => deps.logger.error({ err }, 'verification scheduler pass failed'))
      .finally(() => {
        running = false;
      });
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
