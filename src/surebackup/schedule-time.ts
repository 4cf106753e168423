/**
 * @module surebackup/schedule-time: when a timed verification schedule runs next: `daily` at 03:00, `weekly` on
 * Sundays at 03:00, `monthly` on the 1st at 03:00 (the server's local time, computed with croner); an
 * `after_backup` schedule has no time: it verifies each backup once it completes.
 */
import { Cron } from 'croner';
import type { VERIFICATION_FREQUENCIES } from '../db/schema.js';

export type Frequency = (typeof VERIFICATION_FREQUENCIES)[number];

/** The cron pattern of each timed frequency. */
export const FREQUENCY_PATTERNS: Record<Exclude<Frequency, 'after_backup'>, string> = {
  daily: '0 3 * * *',
  weekly: '0 3 * * 0',
  monthly: '0 3 1 * *',
};

/**
 * The next run strictly after `from`.
 * @returns the date, or null for `after_backup`.
 */
export function nextRunAt(frequency: Frequency, from: Date = new Date()): Date | null {
  if (frequency === 'after_backup') return null;
  return new Cron(FREQUENCY_PATTERNS[frequency], { paused: true }).nextRun(from);
}
