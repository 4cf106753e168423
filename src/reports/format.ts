/** @module reports/format: dates and ages as the reports and the daily summary write them, per language. */
import type { Locale } from '../i18n/translate.js';

/** "2 déc. 2026, 22:00" / "Dec 2, 2026, 10:00 PM" in `timeZone`. */
export function formatWhen(date: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** "2026-12-02" in `timeZone` (the period's bounds). */
export function formatDay(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

/** An age in the largest two units: "3 j 4 h", "2 d 1 h", "45 min". @param ms milliseconds. */
export function formatAge(ms: number, locale: Locale): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const d = locale === 'fr' ? 'j' : 'd';
  if (days > 0) return `${days} ${d} ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}
