/**
 * @module schedule/schedule: when a scheduled thing runs (backup jobs, snapshot schedules): a preset (`daily`
 * at a time, `weekly` on chosen days at a time, `monthly` on a day of the month at a time) or a free cron
 * expression (five fields, croner's syntax), in an IANA time zone the admin picks (default: the server's).
 * Stored as the JSON `ScheduleSpec`; `cronPattern` turns it into the pattern croner runs.
 * @see https://croner.56k.guru/usage/pattern/ (cron syntax)
 */
import { Cron } from 'croner';
import { z } from 'zod';

export const SCHEDULE_PRESETS = ['daily', 'weekly', 'monthly', 'cron'] as const;
export type SchedulePreset = (typeof SCHEDULE_PRESETS)[number];

/**
 * A schedule as stored and as the API takes it. `time` is `HH:MM` (24 h) for the presets; `days` are cron
 * weekdays (0 = Sunday … 6 = Saturday) for `weekly`; `day_of_month` 1..31 for `monthly` (a month without
 * that day is skipped, as cron does); `cron` the expression for `cron`; `timezone` an IANA name.
 */
export interface ScheduleSpec {
  preset: SchedulePreset;
  time?: string | undefined;
  days?: number[] | undefined;
  day_of_month?: number | undefined;
  cron?: string | undefined;
  timezone: string;
}

/** The server's time zone (IANA name), the default of a new schedule. */
export const serverTimezone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Every IANA time zone this Node knows, for a picker. */
export const timezones = (): string[] => Intl.supportedValuesOf('timeZone');

/** Whether `name` is a time zone Intl accepts. */
export function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Whether croner accepts a five-field cron expression. */
export function isCronExpression(expression: string): boolean {
  if (expression.trim().split(/\s+/).length !== 5) return false;
  try {
    new Cron(expression, { paused: true });
    return true;
  } catch {
    return false;
  }
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The body of a schedule (`schedule` field of a backup job or a snapshot schedule). Field messages are
 * catalog keys (src/i18n/catalog/schedule.ts); `timezone` defaults to the server's.
 */
export const scheduleSchema = z
  .strictObject({
    preset: z.enum(SCHEDULE_PRESETS, { error: 'schedule.error.preset' }),
    time: z.string({ error: 'schedule.error.time' }).regex(TIME, { error: 'schedule.error.time' }).optional(),
    days: z
      .array(z.number().int().min(0).max(6), { error: 'schedule.error.days' })
      .max(7, { error: 'schedule.error.days' })
      .optional(),
    day_of_month: z
      .number({ error: 'schedule.error.day_of_month' })
      .int({ error: 'schedule.error.day_of_month' })
      .min(1, { error: 'schedule.error.day_of_month' })
      .max(31, { error: 'schedule.error.day_of_month' })
      .optional(),
    cron: z.string({ error: 'schedule.error.cron' }).max(200).optional(),
    timezone: z
      .string()
      .refine(isTimezone, { error: 'schedule.error.timezone' })
      .default(() => serverTimezone()),
  })
  .superRefine((s, ctx) => {
    const need = (path: keyof ScheduleSpec, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (s.preset !== 'cron' && !s.time) need('time', 'schedule.error.time');
    if (s.preset === 'weekly' && !s.days?.length) need('days', 'schedule.error.days');
    if (s.preset === 'monthly' && s.day_of_month === undefined)
      need('day_of_month', 'schedule.error.day_of_month');
    if (s.preset === 'cron' && !(s.cron && isCronExpression(s.cron))) need('cron', 'schedule.error.cron');
  })
  .transform((s): ScheduleSpec => normalise(s));

/** Keeps only the fields the preset uses, days sorted and unique. */
function normalise(s: ScheduleSpec): ScheduleSpec {
  const { preset, timezone } = s;
  if (preset === 'cron') return { preset, cron: s.cron?.trim().replace(/\s+/g, ' '), timezone };
  if (preset === 'daily') return { preset, time: s.time, timezone };
  if (preset === 'weekly')
    return { preset, time: s.time, days: [...new Set(s.days)].sort((a, b) => a - b), timezone };
  return { preset, time: s.time, day_of_month: s.day_of_month, timezone };
}

/** The five-field cron pattern of a schedule: `daily` 22:00 is `0 22 * * *`. */
export function cronPattern(spec: ScheduleSpec): string {
  if (spec.preset === 'cron') return spec.cron ?? '';
  const [hour, minute] = (spec.time ?? '00:00').split(':').map(Number);
  if (spec.preset === 'daily') return `${minute} ${hour} * * *`;
  if (spec.preset === 'weekly') return `${minute} ${hour} * * ${(spec.days ?? []).join(',')}`;
  return `${minute} ${hour} ${spec.day_of_month} * *`;
}

/**
 * The next `count` run times strictly after `from`, in the schedule's time zone (croner handles daylight
 * saving changes).
 * @returns dates in ascending order (fewer than `count` only for a pattern that never matches again).
 */
export function nextRuns(spec: ScheduleSpec, count = 1, from: Date = new Date()): Date[] {
  return new Cron(cronPattern(spec), { paused: true, timezone: spec.timezone }).nextRuns(count, from);
}

/** The next run strictly after `from`, or null when the pattern never matches again. */
export const nextRun = (spec: ScheduleSpec, from: Date = new Date()): Date | null =>
  nextRuns(spec, 1, from)[0] ?? null;
