/** @module views/surebackup/stats: the statistics cards (seed section 3 statistics), refreshed with the list. */
import type { VerificationStatistics } from '../../src/surebackup/statistics.js';
import { formatDate } from '../components/format.js';
import { usePage } from '../page-context.js';

/** Refreshes itself when a verification starts or ends (`verifications-changed`). */
/** @param props.oob swapped out of band (inside the list's fragment, so that both refresh together). */
export function VerificationStats(props: { stats: VerificationStatistics; oob?: boolean }) {
  const { t, locale } = usePage();
  const s = props.stats;
  const card = (id: string, label: string, value: string | number) => (
    <article class="stat" data-testid={`sb-stat-${id}`}>
      <small>{label}</small>
      <strong>{value}</strong>
    </article>
  );
  return (
    <section
      id="sb-stats"
      class="cards"
      hx-get="/surebackup/stats"
      hx-trigger="verifications-changed from:body"
      hx-target="this"
      hx-swap="outerHTML"
      hx-swap-oob={props.oob ? 'outerHTML' : undefined}
    >
      {card('total', t('surebackup.stats.total'), s.total_verifications)}
      {card('passed', t('surebackup.stats.passed'), s.passed)}
      {card('failed', t('surebackup.stats.failed'), s.failed)}
      {card('rate', t('surebackup.stats.success_rate'), `${s.success_rate} %`)}
      {card('average', t('surebackup.stats.average'), `${s.average_duration_seconds} s`)}
      {card('last', t('surebackup.stats.last'), formatDate(s.last_verification, locale, '—'))}
    </section>
  );
}
