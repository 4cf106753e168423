/**
 * @module views/schedule/fields: the schedule part of a form (backup job, snapshot schedule): preset, time,
 * weekdays, day of the month, cron expression and time zone, with the schedule in words and its next three
 * runs refreshed in place (`GET /schedules/preview`) as the admin edits. Field names: src/schedule/form.ts.
 */
import { SCHEDULE_PRESETS, serverTimezone, timezones } from '../../src/schedule/index.js';
import { usePage } from '../page-context.js';
import { SchedulePreview } from './preview.js';

export interface ScheduleFieldsProps {
  /** The form's values (`scheduleToForm`, or what was posted). */
  values: Record<string, string | undefined>;
  /** The schedule's error, already in the reader's language. */
  error?: string[] | undefined;
}

/** A <fieldset> of schedule fields; every field takes part in the preview request. */
export function ScheduleFields({ values, error }: ScheduleFieldsProps) {
  const { t, locale } = usePage();
  const preset = values.schedule_preset ?? 'daily';
  const zone = values.schedule_timezone || serverTimezone();
  const weekday = (d: number) =>
    new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2023, 0, 1 + d)),
    );
  return (
    <fieldset
      class="schedule-fields"
      data-testid="schedule-fields"
      hx-get="/schedules/preview"
      hx-trigger="change, keyup delay:400ms"
      hx-target="find .schedule-preview"
      hx-swap="outerHTML"
      hx-include="this"
    >
      <legend>{t('schedule.preset')}</legend>
      <select name="schedule_preset" aria-label={t('schedule.preset')} data-testid="schedule-preset">
        {SCHEDULE_PRESETS.map((p) => (
          <option value={p} selected={p === preset}>
            {t(`schedule.preset.${p}`)}
          </option>
        ))}
      </select>
      <div class="grid">
        <label class="schedule-time">
          {t('schedule.time')}
          <input type="time" name="schedule_time" value={values.schedule_time ?? '22:00'} />
        </label>
        <label class="schedule-day-of-month">
          {t('schedule.day_of_month')}
          <input
            type="number"
            name="schedule_day_of_month"
            min="1"
            max="31"
            value={values.schedule_day_of_month ?? '1'}
          />
        </label>
      </div>
      <div class="schedule-days" role="group" aria-label={t('schedule.days')} data-testid="schedule-days">
        {[1, 2, 3, 4, 5, 6, 0].map((d) => (
          <label>
            <input
              type="checkbox"
              name={`schedule_day_${d}`}
              checked={values[`schedule_day_${d}`] !== undefined}
            />
            {weekday(d)}
          </label>
        ))}
      </div>
      <label class="schedule-cron">
        {t('schedule.cron')}
        <input name="schedule_cron" value={values.schedule_cron ?? ''} placeholder="0 22 * * 1-5" />
      </label>
      <label>
        {t('schedule.timezone')}
        <select name="schedule_timezone">
          {timezones().map((z) => (
            <option value={z} selected={z === zone}>
              {z}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <small class="field-error" data-testid="error-schedule">
          {error[0]}
        </small>
      )}
      <SchedulePreview values={values} />
    </fieldset>
  );
}
