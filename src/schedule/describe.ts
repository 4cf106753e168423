/**
 * @module schedule/describe: a schedule in words for a person, in their language: "tous les jours à 22:00",
 * "chaque semaine le lundi et le jeudi à 22:00"; a free cron expression through cronstrue (a maintained
 * library with French), followed by the expression itself. The time zone is named after the words.
 */
import cronstrueI18n from 'cronstrue/i18n.js';
import { type Locale, translator } from '../i18n/translate.js';
import type { ScheduleSpec } from './schedule.js';

// cronstrue's i18n typings declare a default export that its bundle provides but its .d.ts lacks.
const cronstrue = cronstrueI18n as unknown as typeof import('cronstrue/dist/cronstrue-i18n.js');

/** Weekday names for cron days 0..6 (Sunday first), from Intl (2023-01-01 was a Sunday). */
function weekday(day: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2023, 0, 1 + day)),
  );
}

/**
 * A schedule in words, with its time zone.
 * @example scheduleWords({ preset: 'daily', time: '22:00', timezone: 'Europe/Paris' }, 'fr')
 *   // "tous les jours à 22:00 (Europe/Paris)"
 */
export function scheduleWords(spec: ScheduleSpec, locale: Locale): string {
  const t = translator(locale);
  const time = spec.time ?? '';
  let words: string;
  if (spec.preset === 'daily') words = t('schedule.words.daily', { time });
  else if (spec.preset === 'weekly') {
    const days = new Intl.ListFormat(locale, { type: 'conjunction' }).format(
      (spec.days ?? []).map((d) => weekday(d, locale)),
    );
    words = t('schedule.words.weekly', { days, time });
  } else if (spec.preset === 'monthly')
    words = t('schedule.words.monthly', { day: spec.day_of_month ?? 1, time });
  else {
    const text = cronstrue.toString(spec.cron ?? '', {
      locale,
      use24HourTimeFormat: true,
      throwExceptionOnParseError: false,
    });
    words = t('schedule.words.cron', { words: text, cron: spec.cron ?? '' });
  }
  return t('schedule.words.zone', { words, timezone: spec.timezone });
}

/** A run time in the schedule's time zone, in the reader's language: "mer. 2 déc. 2026, 22:00". */
export function formatRunTime(date: Date, spec: ScheduleSpec, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: spec.timezone,
  }).format(date);
}
