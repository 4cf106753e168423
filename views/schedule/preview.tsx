/**
 * @module views/schedule/preview: a schedule in words and its next three run times (in the schedule's time
 * zone), or why the fields do not make a schedule yet. Rendered inside the schedule fields and alone as the
 * answer of `GET /schedules/preview`.
 */

import { isMessageKey } from '../../src/i18n/messages.js';
import {
  formatRunTime,
  nextRuns,
  scheduleFromForm,
  scheduleSchema,
  scheduleWords,
} from '../../src/schedule/index.js';
import { usePage } from '../page-context.js';

/** The preview of the schedule the form's values describe. */
export function SchedulePreview({ values }: { values: Record<string, string | undefined> }) {
  const { t, locale } = usePage();
  const parsed = scheduleSchema.safeParse(scheduleFromForm(values));
  if (!parsed.success) {
    const first = parsed.error.issues[0]?.message ?? '';
    return (
      <p class="schedule-preview" data-testid="schedule-preview">
        <small>{isMessageKey(first) ? t(first) : first}</small>
      </p>
    );
  }
  const spec = parsed.data;
  return (
    <div class="schedule-preview" data-testid="schedule-preview">
      <p data-testid="schedule-words">
        <strong>{scheduleWords(spec, locale)}</strong>
      </p>
      <small>{t('schedule.next_runs')}</small>
      <ul data-testid="schedule-next-runs">
        {nextRuns(spec, 3).map((d) => (
          <li>{formatRunTime(d, spec, locale)}</li>
        ))}
      </ul>
    </div>
  );
}
