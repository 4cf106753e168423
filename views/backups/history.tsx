/**
 * @module views/backups/history: past and running backups: VM, date, status, mode (full or incremental,
 * with why a VM with CBT was read in full), size, bytes read and written (new in the repository, after
 * compression and deduplication), duration, repository verification state, actions.
 */
import { CBT_FALLBACK_REASONS, type FallbackReason } from '../../src/backup/cbt-plan.js';
import { formatBytes, formatDate } from '../components/format.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { OvfExportButtons } from '../ovf/export-buttons.js';
import { usePage } from '../page-context.js';
import { LatestVerification } from '../surebackup/badge.js';
import { formatMegabytes } from './panel.js';
import { type BackupView, secondsBetween } from './types.js';

const CHECK_TONE: Record<NonNullable<BackupView['verification_state']>, BadgeTone> = {
  unverified: 'muted',
  ok: 'ok',
  corrupt: 'error',
};

/** Bytes read and written of a completed restore point (a legacy full copy has no such counts). */
const counted = (b: BackupView, bytes: number | undefined) =>
  b.status === 'COMPLETED' && b.format === 'repository' ? formatBytes(bytes ?? 0) : '—';

const TONE: Record<BackupView['status'], BadgeTone> = {
  PENDING: 'muted',
  IN_PROGRESS: 'info',
  COMPLETED: 'ok',
  FAILED: 'error',
  CANCELLED: 'warn',
};

/** A completed restore point's mode, with the reason of a full read as its title. */
function BackupMode(props: { backup: BackupView }) {
  const { t } = usePage();
  const { mode, cbt_fallback_reason: reason } = props.backup;
  if (props.backup.status !== 'COMPLETED' || props.backup.format !== 'repository' || !mode) return <>—</>;
  const known = (CBT_FALLBACK_REASONS as readonly string[]).includes(reason ?? '');
  return (
    <span title={known ? t(`cbt.reason.${reason as FallbackReason}`) : undefined}>
      <Badge tone={mode === 'incremental' ? 'info' : 'muted'}>{t(`cbt.mode.${mode}`)}</Badge>
    </span>
  );
}

/** Refreshes itself when a backup starts or ends (`backups-changed`, sent by the panel's routes). */
export function BackupHistory(props: {
  backups: Array<BackupView & { verification_status?: string | null }>;
  canRestore: boolean;
}) {
  const { t, locale } = usePage();
  return (
    <section
      id="backup-history"
      hx-get="/backups/history"
      hx-trigger="backups-changed from:body"
      hx-target="this"
      hx-swap="outerHTML"
    >
      <h2>{t('backups.history')}</h2>
      {props.backups.length === 0 ? (
        <p class="muted">{t('backups.empty')}</p>
      ) : (
        <table data-testid="backup-history">
          <thead>
            <tr>
              <th>{t('backups.vm')}</th>
              <th>{t('backups.date')}</th>
              <th>{t('common.status')}</th>
              <th>{t('cbt.mode')}</th>
              <th>{t('backups.size')}</th>
              <th>{t('backups.bytes_read')}</th>
              <th>{t('backups.bytes_written')}</th>
              <th>{t('backups.duration')}</th>
              <th>{t('backups.storage_path')}</th>
              <th>{t('backups.check')}</th>
              <th>{t('surebackup.latest')}</th>
              <th>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.backups.map((b) => (
              <tr data-testid="backup-row">
                <td>{b.vm_name}</td>
                <td>{formatDate(b.created_at, locale, '—')}</td>
                <td>
                  <span title={b.error ? t.stored(b.error) : undefined}>
                    <Badge tone={TONE[b.status]} testid="backup-status">
                      {t(`backups.status.${b.status}`)}
                    </Badge>
                  </span>
                </td>
                <td data-testid="backup-mode">
                  <BackupMode backup={b} />
                </td>
                <td>{b.status === 'COMPLETED' ? formatMegabytes(b.size_bytes) : '—'}</td>
                <td data-testid="backup-bytes-read">{counted(b, b.bytes_read)}</td>
                <td data-testid="backup-bytes-written">{counted(b, b.bytes_written)}</td>
                <td>{b.started_at ? `${secondsBetween(b.started_at, b.finished_at)} s` : '—'}</td>
                <td>{b.storage_path_name ?? '—'}</td>
                <td>
                  {b.status === 'COMPLETED' && b.format === 'repository' ? (
                    <Badge tone={CHECK_TONE[b.verification_state ?? 'unverified']} testid="backup-check">
                      {t(`backups.check.${b.verification_state ?? 'unverified'}`)}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <LatestVerification status={b.verification_status} />
                </td>
                <td>
                  {props.canRestore && b.status === 'COMPLETED' && (
                    <button
                      type="button"
                      class="secondary outline small"
                      hx-get={`/backups/${b.id}/restore`}
                      hx-target="#modal"
                      hx-swap="innerHTML"
                      data-testid="restore-button"
                    >
                      {t('backups.restore')}
                    </button>
                  )}
                  {props.canRestore && b.status === 'COMPLETED' && b.format === 'repository' && (
                    <OvfExportButtons backupId={b.id} />
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
