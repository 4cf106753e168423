/**
 * @module views/components/report-links: the PDF report downloads (GET /api/reports/…, the session signs the
 * request): the verification report over a period picked with two dates (default the last 30 days) and the
 * protection report, both in the page's language.
 */

import { usePage } from '../page-context.js';
import { Icon } from './icon.js';

const day = (date: Date) => date.toISOString().slice(0, 10);

export function ReportLinks(props: { period?: boolean }) {
  const { t, locale } = usePage();
  const to = new Date();
  const from = new Date(to.getTime() - 29 * 86_400_000);
  return (
    <div class="report-links" data-testid="report-links">
      <form method="get" action="/api/reports/verifications.pdf" class="inline">
        <input type="hidden" name="lang" value={locale} />
        {props.period && (
          <>
            <label class="inline">
              {t('reports.from')}{' '}
              <input type="date" name="from" value={day(from)} data-testid="report-from" />
            </label>{' '}
            <label class="inline">
              {t('reports.to')} <input type="date" name="to" value={day(to)} data-testid="report-to" />
            </label>{' '}
          </>
        )}
        <button type="submit" class="outline small" data-testid="download-verifications">
          <Icon name="file-text" /> {t('reports.download_verifications')}
        </button>
      </form>{' '}
      <a
        href={`/api/reports/protection.pdf?lang=${locale}`}
        role="button"
        class="outline small"
        data-testid="download-protection"
      >
        <Icon name="file-text" /> {t('reports.download_protection')}
      </a>
    </div>
  );
}
