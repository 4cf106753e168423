/**
 * @module backup-jobs/protection: which VMs the active backup jobs cover now, and per VM whether its RPO is
 * met. A VM is **covered** when the selection of an active job picks it now. Its RPO is **met** when its newest
 * good restore point (COMPLETED, not found corrupt) was taken at or after the slot its schedule's last run had
 * to cover: the latest slot of the job's schedule at or before now minus the job's usual duration (the median
 * of its last five ended runs, plus a margin of 5 minutes; 1 hour before it has run). A slot older than the job
 * expects nothing yet (`rpo: null`), as does a manual-only job; with several jobs, one met is enough.
 */
import { Cron } from 'croner';
import { lastGoodRestorePoints, recentRunDurations } from '../db/backup-job-protection.js';
import { type BackupJobRow, listBackupJobs } from '../db/backup-jobs.js';
import type { Db } from '../db/client.js';
import { cronPattern } from '../schedule/index.js';
import { evaluateSelection } from './selection.js';

/** A VM's protection. */
export interface VmProtection {
  /** Names of the active jobs that select it now. */
  jobs: string[];
  /** When its newest good restore point was taken, or null. */
  last_good: Date | null;
  /** `true` met, `false` missed, null when no scheduled job expects a restore point yet. */
  rpo_met: boolean | null;
}

const MARGIN_SECONDS = 300;
const NO_HISTORY_SECONDS = 3600;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

/** The slot a restore point must be newer than now, or null when the job expects none yet. */
export function requiredSlot(job: BackupJobRow, usualSeconds: number | null, now: Date): Date | null {
  if (!job.schedule) return null;
  const grace = usualSeconds === null ? NO_HISTORY_SECONDS : usualSeconds + MARGIN_SECONDS;
  const before = new Date(now.getTime() - grace * 1000);
  const cron = new Cron(cronPattern(job.schedule), { paused: true, timezone: job.schedule.timezone });
  const [slot] = cron.previousRuns(1, before);
  return slot && slot >= job.created_at ? slot : null;
}

/**
 * The protection of every VM some active job selects now (VMs absent from the map are not covered).
 * @throws the database error.
 */
export async function vmProtection(db: Db, now = new Date()): Promise<Map<number, VmProtection>> {
  const jobs = (await listBackupJobs(db)).filter((j) => j.is_active);
  const [lastGood, durations] = await Promise.all([
    lastGoodRestorePoints(db),
    recentRunDurations(
      db,
      jobs.map((j) => j.id),
    ),
  ]);
  const result = new Map<number, VmProtection>();
  for (const job of jobs) {
    const slot = requiredSlot(job, median(durations.get(job.id) ?? []), now);
    for (const vm of (await evaluateSelection(db, job)).selected) {
      const entry = result.get(vm.id) ?? { jobs: [], last_good: lastGood.get(vm.id) ?? null, rpo_met: null };
      entry.jobs.push(job.name);
      if (slot) {
        const met = entry.last_good !== null && entry.last_good >= slot;
        entry.rpo_met = entry.rpo_met === true || met;
      }
      result.set(vm.id, entry);
    }
  }
  return result;
}
