/** @module schedule: cron schedules (presets or free expressions, in a time zone), in words and run times. */
export { formatRunTime, scheduleWords } from './describe.js';
export { scheduleFromForm, scheduleToForm } from './form.js';
export {
  cronPattern,
  isCronExpression,
  isTimezone,
  nextRun,
  nextRuns,
  SCHEDULE_PRESETS,
  type SchedulePreset,
  type ScheduleSpec,
  scheduleSchema,
  serverTimezone,
  timezones,
} from './schedule.js';
