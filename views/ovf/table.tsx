/**
 * @module views/ovf/table: the OVF exports table (VM, date, format, status with progress, size, files with
 * their sizes, download for admins, cancel and import (a completed one) for operators). Polls itself every 2 s while an export runs, and
 * refreshes on `ovf-changed`.
 */
import type { OvfExportItem } from '../../src/db/ovf-exports.js';
import { formatBytes, formatDate } from '../components/format.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

const TONE: Record<OvfExportItem['status'], BadgeTone> = {
  PENDING: 'muted',
  IN_PROGRESS: 'info',
  COMPLETED: 'ok',
  FAILED: 'error',
  CANCELLED: 'warn',
};

const running = (e: OvfExportItem) => e.status === 'PENDING' || e.status === 'IN_PROGRESS';

/** The table fragment (`GET /ovf-exports/table`). */
export function OvfExportTable(props: { rows: OvfExportItem[]; canCancel: boolean; canDownload: boolean }) {
  const { t, locale } = usePage();
  const poll = props.rows.some(running);
  return (
    <section
      id="ovf-exports"
      hx-get="/ovf-exports/table"
      hx-trigger={poll ? 'every 2s, ovf-changed from:body' : 'ovf-changed from:body'}
      hx-target="this"
      hx-swap="outerHTML"
    >
      {props.rows.length === 0 ? (
        <p class="muted">{t('ovf.empty')}</p>
      ) : (
        <table data-testid="ovf-exports">
          <thead>
            <tr>
              <th>{t('ovf.col.vm')}</th>
              <th>{t('ovf.col.created')}</th>
              <th>{t('ovf.col.format')}</th>
              <th>{t('ovf.col.status')}</th>
              <th>{t('ovf.col.size')}</th>
              <th>{t('ovf.col.files')}</th>
              <th>{t('ovf.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((e) => (
              <tr data-testid="ovf-export-row">
                <td>{e.vm_name}</td>
                <td>{formatDate(e.created_at, locale, '—')}</td>
                <td>{e.format.toUpperCase()}</td>
                <td>
                  <span title={e.error ? t.stored(e.error) : e.step ? t.stored(e.step) : undefined}>
                    <Badge tone={TONE[e.status]} testid="ovf-export-status">
                      {t(`backups.status.${e.status}`)}
                      {running(e) ? ` ${e.progress} %` : ''}
                    </Badge>
                  </span>
                  {e.error && <small class="muted"> {t.stored(e.error)}</small>}
                </td>
                <td>{e.package_path ? formatBytes(e.total_bytes) : '—'}</td>
                <td data-testid="ovf-export-files">
                  {e.files.map((f) => (
                    <div>
                      {props.canDownload ? (
                        <a
                          href={`/api/ovf-exports/${e.id}/download/?file=${encodeURIComponent(f.name)}`}
                          download
                        >
                          {f.name}
                        </a>
                      ) : (
                        f.name
                      )}{' '}
                      <small class="muted">{formatBytes(f.size_bytes)}</small>
                    </div>
                  ))}
                </td>
                <td>
                  {props.canDownload && e.package_path && (
                    <a
                      role="button"
                      class="secondary outline small"
                      href={`/api/ovf-exports/${e.id}/download/`}
                      download
                      data-testid="ovf-download"
                    >
                      {t('ovf.download')}
                    </a>
                  )}
                  {props.canCancel && e.status === 'COMPLETED' && e.package_path && (
                    <button
                      type="button"
                      class="secondary outline small"
                      hx-get={`/ovf-exports/${e.id}/import`}
                      hx-target="#modal"
                      hx-swap="innerHTML"
                      data-testid="ovf-import-button"
                    >
                      {t('ovf.import.title')}
                    </button>
                  )}
                  {props.canCancel && running(e) && (
                    <button
                      type="button"
                      class="secondary outline small"
                      hx-post={`/ovf-exports/${e.id}/cancel`}
                      hx-target="#ovf-exports"
                      hx-swap="outerHTML"
                      data-testid="ovf-cancel"
                    >
                      {t('ovf.cancel')}
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
