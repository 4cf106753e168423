/**
 * @module notifications/summary: the daily summary's content: the failures of the last 24 hours first (failed
 * VM backups and verifications), then each present VM with its last good restore point and its age (those
 * without one first). Ages and times are messages and neutral texts, so each channel renders them in its
 * language. Between them, each active backup job's last run and its result (failed ones first).
 */
import { lastRuns } from '../db/backup-job-runs.js';
import { listBackupJobs } from '../db/backup-jobs.js';
import type { Db } from '../db/client.js';
import { failuresSince, protectionRows } from '../db/reports.js';
import type { NotificationContent } from '../db/schema.js';
import { type Message, msg } from '../i18n/message.js';
import { storedParam } from './emit.js';

/** An age as a message: "3 j 4 h" / "3 d 4 h". @param ms milliseconds. */
export function ageMessage(ms: number): Message {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return msg('notify.age.dh', { days, hours });
  if (hours > 0) return msg('notify.age.hm', { hours, minutes: minutes % 60 });
  return msg('notify.age.m', { minutes });
}

/** `2026-12-02 08:00` in `timeZone`. */
export function neutralTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(date);
}

/** Order of a run's outcome in the summary: failures first. */
const RANK: Record<string, number> = { failed: 0, warning: 1, cancelled: 2, running: 3, success: 4 };

/** The per-job lines: each active backup job's last run, its result and when it started; failed ones first. */
async function jobLines(db: Db, timeZone: string): Promise<Message[]> {
  const jobs = (await listBackupJobs(db)).filter((j) => j.is_active);
  if (!jobs.length) return [];
  const runs = await lastRuns(
    db,
    jobs.map((j) => j.id),
  );
  const rank = (id: number) => RANK[runs.get(id)?.status ?? ''] ?? -1;
  const lines = [...jobs]
    .sort((a, b) => rank(a.id) - rank(b.id))
    .map((job) => {
      const run = runs.get(job.id);
      return run
        ? msg('notify.summary.job_line', {
            job: job.name,
            status: msg(`backup_jobs.run.status.${run.status}`),
            at: neutralTime(run.started_at, timeZone),
          })
        : msg('notify.summary.job_never', { job: job.name });
    });
  return [msg('notify.summary.jobs_head'), ...lines];
}

/**
 * The summary at `now`. @param timeZone of the times it shows (the channel's summary zone).
 * @returns the event content, with the reports a channel may attach.
 */
export async function dailySummary(db: Db, now: Date, timeZone: string): Promise<NotificationContent> {
  const since = new Date(now.getTime() - 86_400_000);
  const failures = await failuresSince(db, since);
  const vms = await protectionRows(db);
  const lines: Message[] = [];
  if (failures.length) {
    lines.push(msg('notify.summary.failures_head'));
    for (const f of failures)
      lines.push(
        msg('notify.summary.failure_line', {
          what: msg(`notify.summary.what.${f.what}`),
          vm: f.vm,
          host: f.host,
          at: neutralTime(f.at, timeZone),
          error: storedParam(f.error),
        }),
      );
  }
  lines.push(...(await jobLines(db, timeZone)));
  lines.push(msg('notify.summary.vms_head'));
  if (!vms.length) lines.push(msg('notify.summary.none'));
  for (const v of vms)
    lines.push(
      v.at
        ? msg('notify.summary.vm_line', {
            vm: v.vm,
            host: v.host,
            at: neutralTime(v.at, timeZone),
            age: ageMessage(now.getTime() - v.at.getTime()),
          })
        : msg('notify.summary.vm_never', { vm: v.vm, host: v.host }),
    );
  const failedVms = new Set([...failures.map((f) => f.vm), ...vms.filter((v) => !v.at).map((v) => v.vm)]);
  return {
    title: msg('notify.summary.title', { failed: failedVms.size, ok: vms.filter((v) => v.at).length }),
    lines,
    link: '/',
    facts: { failures: failures.length, vms: vms.length, unprotected: vms.filter((v) => !v.at).length },
    severity: failures.length ? 'warning' : 'info',
    reports: ['protection', 'verifications'],
  };
}
