/** Schedules: presets and cron expressions, their next runs in a time zone, in words, and their field errors. */
import { describe, expect, it } from 'vitest';
import {
  cronPattern,
  nextRuns,
  scheduleFromForm,
  scheduleSchema,
  scheduleWords,
} from '../../src/schedule/index.js';

const parse = (raw: unknown) => scheduleSchema.parse(raw);

describe('a schedule', () => {
  it('turns each preset into its cron pattern', () => {
    expect(cronPattern(parse({ preset: 'daily', time: '22:05' }))).toBe('5 22 * * *');
    expect(cronPattern(parse({ preset: 'weekly', time: '03:00', days: [5, 1, 1] }))).toBe('0 3 * * 1,5');
    expect(cronPattern(parse({ preset: 'monthly', time: '01:30', day_of_month: 15 }))).toBe('30 1 15 * *');
    expect(cronPattern(parse({ preset: 'cron', cron: ' 0  */4 * * * ' }))).toBe('0 */4 * * *');
  });

  it('runs at the wall-clock time of its zone, across a daylight saving change', () => {
    const spec = parse({ preset: 'daily', time: '22:00', timezone: 'Europe/Paris' });
    const runs = nextRuns(spec, 3, new Date('2026-10-23T12:00:00Z'));
    // Paris is UTC+2 until 25 October 2026 at 03:00, UTC+1 after
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-10-23T20:00:00.000Z',
      '2026-10-24T20:00:00.000Z',
      '2026-10-25T21:00:00.000Z',
    ]);
  });

  it('says itself in French and in English', () => {
    const weekly = parse({ preset: 'weekly', time: '22:00', days: [4, 1], timezone: 'Europe/Paris' });
    expect(scheduleWords(weekly, 'fr')).toBe('chaque semaine le lundi et jeudi à 22:00 (Europe/Paris)');
    expect(scheduleWords(weekly, 'en')).toBe('every week on Monday and Thursday at 22:00 (Europe/Paris)');
    expect(scheduleWords(parse({ preset: 'daily', time: '22:00', timezone: 'UTC' }), 'fr')).toBe(
      'tous les jours à 22:00 (UTC)',
    );
    expect(scheduleWords(parse({ preset: 'cron', cron: '30 22 * * 1-5', timezone: 'UTC' }), 'fr')).toBe(
      'À 22:30, de lundi à vendredi (cron « 30 22 * * 1-5 ») (UTC)',
    );
  });

  it('names the field that is wrong', () => {
    const fields = (raw: unknown) =>
      scheduleSchema.safeParse(raw).error?.issues.map((i) => [i.path[0], i.message]) ?? [];
    expect(fields({ preset: 'daily', time: '24:00' })).toEqual([['time', 'schedule.error.time']]);
    expect(fields({ preset: 'weekly', time: '22:00', days: [] })).toEqual([['days', 'schedule.error.days']]);
    expect(fields({ preset: 'monthly', time: '22:00' })).toEqual([
      ['day_of_month', 'schedule.error.day_of_month'],
    ]);
    expect(fields({ preset: 'cron', cron: '0 22 * *' })).toEqual([['cron', 'schedule.error.cron']]);
    expect(fields({ preset: 'daily', time: '22:00', timezone: 'Mars/Olympus' })).toEqual([
      ['timezone', 'schedule.error.timezone'],
    ]);
  });

  it('reads a form, keeping only what the preset uses', () => {
    const raw = scheduleFromForm({
      schedule_preset: 'weekly',
      schedule_time: '21:15',
      schedule_day_1: 'on',
      schedule_day_6: 'on',
      schedule_day_of_month: '3',
      schedule_cron: '',
      schedule_timezone: 'Europe/Paris',
    });
    expect(parse(raw)).toEqual({ preset: 'weekly', time: '21:15', days: [1, 6], timezone: 'Europe/Paris' });
  });
});
