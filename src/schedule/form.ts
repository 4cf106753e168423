/**
 * @module schedule/form: a schedule from an HTML form's flat fields (`schedule_preset`, `schedule_time`,
 * `schedule_day_0` … `schedule_day_6` checkboxes, `schedule_day_of_month`, `schedule_cron`,
 * `schedule_timezone`), as the raw object `scheduleSchema` checks. Used by every form that holds a
 * schedule and by the live preview (`GET /schedules/preview`).
 */
import type { ScheduleSpec } from './schedule.js';

/** The raw schedule of a form (values as the browser sent them; checks are `scheduleSchema`'s). */
export function scheduleFromForm(values: Record<string, string | undefined>): Record<string, unknown> {
  const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => values[`schedule_day_${d}`] !== undefined);
  const dayOfMonth = values.schedule_day_of_month;
  const raw: Record<string, unknown> = {
    preset: values.schedule_preset,
    timezone: values.schedule_timezone || undefined,
  };
  if (values.schedule_preset !== 'cron') raw.time = values.schedule_time || undefined;
  if (values.schedule_preset === 'weekly') raw.days = days;
  if (values.schedule_preset === 'monthly') raw.day_of_month = dayOfMonth ? Number(dayOfMonth) : undefined;
  if (values.schedule_preset === 'cron') raw.cron = values.schedule_cron || undefined;
  return raw;
}

/** A stored schedule as the form's values, to show it again for editing. */
export function scheduleToForm(spec: ScheduleSpec): Record<string, string> {
  const values: Record<string, string> = { schedule_preset: spec.preset, schedule_timezone: spec.timezone };
  if (spec.time) values.schedule_time = spec.time;
  for (const d of spec.days ?? []) values[`schedule_day_${d}`] = 'on';
  if (spec.day_of_month) values.schedule_day_of_month = String(spec.day_of_month);
  if (spec.cron) values.schedule_cron = spec.cron;
  return values;
}
