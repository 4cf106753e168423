/** @module views/servers/list: the ESXi servers page. */
import type { EsxiServer } from '../../src/db/esxi-servers.js';
import { formatDate } from '../components/format.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { ConnectionBadge } from './connection-badge.js';

export function ServerListPage(props: { servers: EsxiServer[]; canEdit: boolean }) {
  const { t, locale } = usePage();
  return (
    <Layout title={t('servers.title')}>
      {props.canEdit && (
        <p>
          <a href="/servers/new" role="button" data-testid="add-server">
            {t('servers.add')}
          </a>
        </p>
      )}
      {props.servers.length === 0 ? (
        <p class="muted">{t('servers.empty')}</p>
      ) : (
        <table data-testid="servers-table">
          <thead>
            <tr>
              <th>{t('servers.name')}</th>
              <th>{t('servers.hostname')}</th>
              <th>{t('servers.version')}</th>
              <th>{t('servers.connection')}</th>
              <th>{t('servers.vm_count')}</th>
              <th>{t('servers.last_sync')}</th>
            </tr>
          </thead>
          <tbody>
            {props.servers.map((s) => (
              <tr data-testid={`server-row-${s.name}`}>
                <td>
                  <a href={`/servers/${s.id}`}>{s.name}</a>
                  {!s.is_active && <small class="muted"> ({t('common.no')})</small>}
                </td>
                <td>
                  {s.protocol}://{s.hostname}:{s.port}
                </td>
                <td>{s.version ? `${s.version} (${s.build})` : '—'}</td>
                <td>
                  <ConnectionBadge server={s} />
                </td>
                <td>{s.vm_count}</td>
                <td>{formatDate(s.last_sync_at, locale, t('common.never'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
