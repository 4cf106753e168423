/**
 * @module i18n/catalog/schedule: schedules (backup jobs, snapshot schedules): presets, the form's fields, the
 * schedule in words and its field errors. French first; English has the same keys.
 */

export const fr = {
  'schedule.preset': 'Planification',
  'schedule.preset.daily': 'Tous les jours',
  'schedule.preset.weekly': 'Certains jours de la semaine',
  'schedule.preset.monthly': 'Tous les mois',
  'schedule.preset.cron': 'Expression cron',
  'schedule.time': 'Heure',
  'schedule.days': 'Jours',
  'schedule.day_of_month': 'Jour du mois',
  'schedule.cron': 'Expression cron (minute heure jour mois jour-de-semaine)',
  'schedule.timezone': 'Fuseau horaire',
  'schedule.next_runs': 'Prochaines exécutions',
  'schedule.words.daily': 'tous les jours à {time}',
  'schedule.words.weekly': 'chaque semaine le {days} à {time}',
  'schedule.words.monthly': 'tous les mois le {day} à {time}',
  'schedule.words.cron': '{words} (cron « {cron} »)',
  'schedule.words.zone': '{words} ({timezone})',
  'schedule.error.preset': 'choisissez daily, weekly, monthly ou cron',
  'schedule.error.time': 'heure au format HH:MM (00:00 à 23:59)',
  'schedule.error.days': 'choisissez au moins un jour (0 = dimanche … 6 = samedi)',
  'schedule.error.day_of_month': 'jour du mois de 1 à 31',
  'schedule.error.cron': 'expression cron invalide : cinq champs, par exemple « 0 22 * * 1-5 »',
  'schedule.error.timezone': 'fuseau horaire inconnu (nom IANA, par exemple Europe/Paris)',
} as const;

export const en: Record<keyof typeof fr, string> = {
  'schedule.preset': 'Schedule',
  'schedule.preset.daily': 'Every day',
  'schedule.preset.weekly': 'Some days of the week',
  'schedule.preset.monthly': 'Every month',
  'schedule.preset.cron': 'Cron expression',
  'schedule.time': 'Time',
  'schedule.days': 'Days',
  'schedule.day_of_month': 'Day of the month',
  'schedule.cron': 'Cron expression (minute hour day month weekday)',
  'schedule.timezone': 'Time zone',
  'schedule.next_runs': 'Next runs',
  'schedule.words.daily': 'every day at {time}',
  'schedule.words.weekly': 'every week on {days} at {time}',
  'schedule.words.monthly': 'every month on day {day} at {time}',
  'schedule.words.cron': '{words} (cron "{cron}")',
  'schedule.words.zone': '{words} ({timezone})',
  'schedule.error.preset': 'choose daily, weekly, monthly or cron',
  'schedule.error.time': 'time as HH:MM (00:00 to 23:59)',
  'schedule.error.days': 'choose at least one day (0 = Sunday … 6 = Saturday)',
  'schedule.error.day_of_month': 'day of the month from 1 to 31',
  'schedule.error.cron': 'invalid cron expression: five fields, for example "0 22 * * 1-5"',
  'schedule.error.timezone': 'unknown time zone (an IANA name, for example Europe/Paris)',
} as const;
