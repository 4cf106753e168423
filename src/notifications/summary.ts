/**
 * @module notifications/summary: the daily summary's content: the failures of the last 24 hours first (failed
 * VM backups and verifications), then each present VM with its last good restore point and its age (those
 * without one first). Ages and times are messages and neutral texts, so each channel renders them in its
 * language. Backup jobs (issue 14) add their per-job lines in `jobLines`.
 */
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

/** The per-job lines (last run and result of each backup job): none until backup jobs exist (issue 14). */
async function jobLines(_db: Db, _since: Date): Promise<Message[]> {
  return [];
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
  lines.push(...(await jobLines(db, since)));
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
