/**
 * @module snapshots/scheduler: turns snapshot schedules into `snapshot_create` jobs. Each pass looks for active
 * schedules whose `next_run_at` has passed; each slot is claimed by a conditional UPDATE of `next_run_at` in the
 * transaction that queues its job, so it runs once across every app process. The claim moves `next_run_at` to
 * the first slot after now: slots missed while the app was down give one run, at start-up (a pass runs at once).
 */
import { insertJob } from '../db/jobs.js';
import { claimSnapshotSlot, dueSnapshotSchedules } from '../db/snapshot-schedule-claims.js';
import { getSnapshotSchedule, type SnapshotScheduleRow } from '../db/snapshot-schedules.js';
import type { AppDeps } from '../deps.js';
import { nextRun } from '../schedule/index.js';
import type { CreatePayload } from './create-job.js';

/** How often due schedules are looked for (milliseconds): a slot runs at most this late. */
export const SNAPSHOT_SCHEDULER_TICK_MS = 1_000;

/** `YYYY-MM-DD HH:MM` of `at` in time zone `timezone`. */
export function slotStamp(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** Claims the slot `s` is due for and queues its job. @returns the job id, or null when another process won. */
async function fire(deps: AppDeps, s: SnapshotScheduleRow, now: Date): Promise<number | null> {
  const view = await getSnapshotSchedule(deps.db, s.id);
  if (!view) return null;
  return deps.db.transaction(async (tx) => {
    if (!(await claimSnapshotSlot(tx, s, now, nextRun(s.schedule, now)))) return null;
    const slot = s.next_run_at ?? now;
    const payload: CreatePayload = {
      virtual_machine_id: s.virtual_machine_id,
      name: `${s.name} ${slotStamp(slot, s.schedule.timezone)}`,
      description: '',
      memory: s.memory,
      quiesce: s.quiesce,
      schedule_id: s.id,
      keep_last: s.keep_last,
    };
    const job = await insertJob(tx, {
      type: 'snapshot_create',
      target_label: `${view.vm_name} · ${payload.name}`,
      esxi_server_id: view.esxi_server_id,
      payload: { ...payload },
    });
    return job.id;
  });
}

/**
 * One pass: queues a job for each due schedule whose slot this process claims.
 * @param now the time of the pass (tests pass a fake one).
 * @returns the ids of the jobs queued.
 */
export async function runSnapshotSchedulerPass(deps: AppDeps, now = new Date()): Promise<number[]> {
  const queued: number[] = [];
  for (const s of await dueSnapshotSchedules(deps.db, now)) {
    const id = await fire(deps, s, now);
    if (id !== null) queued.push(id);
  }
  if (queued.length) {
    deps.logger.info({ jobs: queued }, 'snapshot schedules queued');
    deps.jobs?.wake();
  }
  return queued;
}

/**
 * Runs a pass at once (missed slots), then every `tickMs`. Errors are logged, never thrown; passes never overlap.
 * @returns a function that stops the scheduler.
 */
export function startSnapshotScheduler(deps: AppDeps, tickMs = SNAPSHOT_SCHEDULER_TICK_MS): () => void {
  let running = false;
  const pass = () => {
    if (running) return;
    running = true;
    runSnapshotSchedulerPass(deps)
      .catch((err: unknown) => deps.logger.error({ err }, 'snapshot scheduler pass failed'))
      .finally(() => {
        running = false;
      });
  };
  pass();
  const timer = setInterval(pass, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
