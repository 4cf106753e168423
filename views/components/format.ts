/** @module views/components/format: numbers and dates as an admin reads them. */

/** Bytes in binary units, e.g. `1536` -> `1.5 KiB`, `0` -> `0 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Percent 0-100 with one decimal, e.g. `42.5 %`; `0` when the total is zero. */
export function percent(part: number, total: number): number {
  return total > 0 ? Math.round((part / total) * 1000) / 10 : 0;
}

/** A date in the reader's locale, e.g. `22/11/2026 13:05`; the given fallback when null. */
export function formatDate(date: Date | string | null, locale: string, fallback: string): string {
  if (!date) return fallback;
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(date));
}
