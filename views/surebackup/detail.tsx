/**
 * @module views/surebackup/detail: one verification: its settings, results (restore, boot, ping, each service),
 * the error, and the step log. Polls every 2 s while it runs.
 */
import type { VerificationListItem } from '../../src/db/verifications.js';
import { renderLog } from '../../src/surebackup/journal.js';
import { formatDate } from '../components/format.js';
import { Icon } from '../components/icon.js';
import { StepText } from '../components/step-text.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { VerificationBadge, YesNo } from './badge.js';

export function VerificationDetail(props: { v: VerificationListItem }) {
  const { t, locale } = usePage();
  const v = props.v;
  const running = v.status === 'pending' || v.status === 'running';
  const services = Object.entries(v.services_checked ?? {});
  return (
    <section
      id="sb-detail"
      data-testid="verification-detail"
      hx-get={`/surebackup/${v.id}/panel`}
      hx-trigger={running ? 'every 2s' : 'none'}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <p>
        <VerificationBadge status={v.status} testid="detail-status" />{' '}
        {running && v.step && (
          <span class="muted" data-testid="detail-step">
            <StepText step={v.step} />
          </span>
        )}
      </p>
      {v.error_message && (
        <p class="form-error" role="alert" data-testid="detail-error">
          {t('surebackup.error_line', { error: t.stored(v.error_message) })}
        </p>
      )}
      <dl class="facts">
        <dt>{t('surebackup.backup')}</dt>
        <dd>{v.backup_name || '—'}</dd>
        <dt>{t('surebackup.test_type')}</dt>
        <dd>{t(`surebackup.type.${v.test_type}`)}</dd>
        <dt>{t('surebackup.server')}</dt>
        <dd>{v.server_name || '—'}</dd>
        <dt>{t('surebackup.network')}</dt>
        <dd>{v.test_network}</dd>
        <dt>{t('surebackup.datastore')}</dt>
        <dd>{v.test_datastore || '—'}</dd>
        <dt>{t('surebackup.test_vm')}</dt>
        <dd>{v.test_vm_name ?? '—'}</dd>
        <dt>{t('surebackup.date')}</dt>
        <dd>{formatDate(v.created_at, locale, '—')}</dd>
        <dt>{t('surebackup.duration')}</dt>
        <dd>{v.total_duration_seconds === null ? '—' : `${v.total_duration_seconds} s`}</dd>
      </dl>
      <h3>{t('surebackup.results')}</h3>
      <dl class="facts" data-testid="detail-results">
        <dt>{t('surebackup.vm_restored')}</dt>
        <dd>
          <YesNo value={v.status === 'pending' ? null : v.vm_restored} />
        </dd>
        <dt>{t('surebackup.vm_booted')}</dt>
        <dd>
          <YesNo value={v.status === 'pending' ? null : v.vm_booted} />
          {v.boot_time_seconds !== null && ` (${v.boot_time_seconds} s)`}
        </dd>
        <dt>{t('surebackup.ping')}</dt>
        <dd>
          <YesNo value={v.ping_successful} />
        </dd>
        <dt>{t('surebackup.cleanup')}</dt>
        <dd>
          <YesNo value={running ? null : v.vm_cleanup_done} />
        </dd>
      </dl>
      {services.length > 0 && (
        <>
          <h3>{t('surebackup.service_results')}</h3>
          <table data-testid="detail-services">
            <thead>
              <tr>
                <th>{t('surebackup.service')}</th>
                <th>{t('surebackup.result')}</th>
              </tr>
            </thead>
            <tbody>
              {services.map(([name, ok]) => (
                <tr>
                  <td>{name}</td>
                  <td>
                    <YesNo value={ok} /> {t(ok ? 'surebackup.reachable' : 'surebackup.unreachable')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>{t('surebackup.log')}</h3>
      <pre class="sb-log" data-testid="detail-log">
        {renderLog(t, v.detailed_log) || '—'}
      </pre>
    </section>
  );
}

/** The detail page around {@link VerificationDetail}. */
export function VerificationPage(props: { v: VerificationListItem }) {
  const { t } = usePage();
  return (
    <Layout title={t('surebackup.detail_title', { id: props.v.id })}>
      <p>
        <a href="/surebackup">
          <Icon name="arrow-left" /> {t('surebackup.back')}
        </a>
      </p>
      <VerificationDetail v={props.v} />
    </Layout>
  );
}
