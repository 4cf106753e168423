/**
 * @module views/db-backup/page: the "Sauvegardes de la base" admin page: every database backup in the
 * backup directory, newest first, with its date, size, kind, SHA-256 and a download link (seed 004).
 */
import type { BackupEntry } from '../../src/db-backup/metadata.js';
import { formatDate } from '../components/format.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { megabytes } from './card.js';

/** @param props.dir the backup directory; props.keep how many backups retention keeps. */
export function DbBackupsPage(props: { backups: BackupEntry[]; dir: string; keep: number }) {
  const { t, locale } = usePage();
  return (
    <Layout title={t('dbbackups.title')}>
      <p>{t('dbbackups.intro', { dir: props.dir, keep: props.keep })}</p>
      {props.backups.length === 0 ? (
        <p class="muted" data-testid="db-backups-empty">
          {t('dbbackups.empty')}
        </p>
      ) : (
        <table data-testid="db-backups">
          <thead>
            <tr>
              <th>{t('dbbackup.name')}</th>
              <th>{t('dbbackups.date')}</th>
              <th>{t('dbbackup.size')}</th>
              <th>{t('dbbackups.kind')}</th>
              <th>SHA-256</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.backups.map((b) => (
              <tr data-testid="db-backup-row">
                <td data-testid="db-backup-row-name">{b.name}</td>
                <td>{formatDate(b.started_at, locale, '')}</td>
                <td>{megabytes(b.size_bytes)}</td>
                <td>{t(b.kind === 'safety' ? 'dbbackups.kind.safety' : 'dbbackups.kind.manual')}</td>
                <td>
                  <code title={b.sha256}>{b.sha256.slice(0, 12)}</code>
                </td>
                <td>
                  <a href={`/db-backups/${encodeURIComponent(b.name)}`} download={b.name}>
                    {t('dbbackups.download')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted">
        <small>{t('dbbackups.cli')}</small>
      </p>
    </Layout>
  );
}
