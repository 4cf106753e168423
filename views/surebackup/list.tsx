/**
 * @module views/surebackup/list: the verifications with their status badges and filters (status, test type).
 * Polls every 2 s while one is pending or running; refreshes on `verifications-changed`.
 */
import { TEST_TYPES, VERIFICATION_STATUSES } from '../../src/db/schema.js';
import type { VerificationFilter, VerificationListItem } from '../../src/db/verifications.js';
import { formatDate } from '../components/format.js';
import { usePage } from '../page-context.js';
import { VerificationBadge } from './badge.js';

const ACTIVE = new Set(['pending', 'running']);

/** The query string of a filter (`?status=passed&test_type=boot`), '' when none. */
export function filterQuery(filter: VerificationFilter): string {
  const q = new URLSearchParams();
  if (filter.status) q.set('status', filter.status);
  if (filter.test_type) q.set('test_type', filter.test_type);
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function VerificationList(props: {
  items: VerificationListItem[];
  filter: VerificationFilter;
  canRun: boolean;
}) {
  const { t, locale } = usePage();
  const polling = props.items.some((v) => ACTIVE.has(v.status));
  return (
    <section
      id="sb-list"
      hx-get={`/surebackup/list${filterQuery(props.filter)}`}
      hx-trigger={`${polling ? 'every 2s, ' : ''}verifications-changed from:body`}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <h2>{t('surebackup.list')}</h2>
      <form
        class="filters"
        hx-get="/surebackup/list"
        hx-trigger="change"
        hx-target="#sb-list"
        hx-swap="outerHTML"
      >
        <select name="status" aria-label={t('common.status')} data-testid="filter-status">
          <option value="">{`${t('common.status')} : ${t('surebackup.all')}`}</option>
          {VERIFICATION_STATUSES.map((s) => (
            <option value={s} selected={props.filter.status === s}>
              {t(`surebackup.status.${s}`)}
            </option>
          ))}
        </select>
        <select name="test_type" aria-label={t('surebackup.test_type')} data-testid="filter-type">
          <option value="">{`${t('surebackup.test_type')} : ${t('surebackup.all')}`}</option>
          {TEST_TYPES.map((type) => (
            <option value={type} selected={props.filter.test_type === type}>
              {t(`surebackup.type.${type}`)}
            </option>
          ))}
        </select>
      </form>
      {props.items.length === 0 ? (
        <p class="muted">{t('surebackup.empty')}</p>
      ) : (
        <table data-testid="verification-list">
          <thead>
            <tr>
              <th>{t('surebackup.backup')}</th>
              <th>{t('surebackup.test_type')}</th>
              <th>{t('common.status')}</th>
              <th>{t('surebackup.boot_time')}</th>
              <th>{t('surebackup.duration')}</th>
              <th>{t('surebackup.date')}</th>
              <th>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((v) => (
              <tr data-testid="verification-row" data-status={v.status}>
                <td>{v.backup_name || '—'}</td>
                <td>{t(`surebackup.type.${v.test_type}`)}</td>
                <td>
                  <VerificationBadge
                    status={v.status}
                    testid="verification-status"
                    title={t.stored(v.error_message)}
                  />
                </td>
                <td>{v.boot_time_seconds === null ? '—' : `${v.boot_time_seconds} s`}</td>
                <td>{v.total_duration_seconds === null ? '—' : `${v.total_duration_seconds} s`}</td>
                <td>{formatDate(v.created_at, locale, '—')}</td>
                <td class="actions">
                  <a href={`/surebackup/${v.id}`} data-testid="verification-details">
                    {t('surebackup.details')}
                  </a>
                  {props.canRun && !ACTIVE.has(v.status) && (
                    <button
                      type="button"
                      class="secondary outline small"
                      hx-post={`/surebackup/${v.id}/delete`}
                      hx-confirm={t('surebackup.delete_confirm')}
                      hx-target="#sb-list"
                      hx-swap="outerHTML"
                    >
                      {t('surebackup.delete')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
