/**
 * @module views/dashboard: counts of servers, VMs and datastores, backups of the last 24 hours, replications,
 * and the servers' connection state.
 */
import type { ProtectionSummary } from '../src/db/dashboard.js';
import type { EsxiServer } from '../src/db/esxi-servers.js';
import { ProtectionCard } from './backup-jobs/protection.js';
import { ReportLinks } from './components/report-links.js';
import { Badge } from './components/status-badge.js';
import { Layout } from './layout.js';
import { usePage } from './page-context.js';

export interface DashboardProps {
  servers: EsxiServer[];
  counts: { vms: number; powered_on: number; datastores: number };
  protection: ProtectionSummary;
  /** VMs no active backup job covers, and those whose RPO is missed (views/backup-jobs/protection.tsx). */
  coverage?: { unprotected: Array<{ id: number; name: string }>; rpoMissed: string[] };
}

export function DashboardPage({ servers, counts, protection, coverage }: DashboardProps) {
  const { t } = usePage();
  return (
    <Layout title={t('dashboard.title')}>
      <section class="cards">
        <article class="stat" data-testid="stat-servers">
          <small>{t('dashboard.servers')}</small>
          <strong>{servers.length}</strong>
        </article>
        <article class="stat" data-testid="stat-vms">
          <small>{t('dashboard.vms')}</small>
          <strong>{counts.vms}</strong>
          <small>
            {t('dashboard.powered_on')}: {counts.powered_on}
          </small>
        </article>
        <article class="stat" data-testid="stat-datastores">
          <small>{t('dashboard.datastores')}</small>
          <strong>{counts.datastores}</strong>
        </article>
        <article class="stat" data-testid="stat-backups">
          <small>
            <a href="/backups/">{t('dashboard.backups_24h')}</a>
          </small>
          <strong>{protection.backups_completed_24h}</strong>
          <small class={protection.backups_failed_24h ? 'field-error' : undefined}>
            {t('dashboard.failed')}: {protection.backups_failed_24h}
          </small>
        </article>
        <article class="stat" data-testid="stat-replications">
          <small>
            <a href="/replication/">{t('dashboard.replications')}</a>
          </small>
          <strong>{protection.replications_active}</strong>
          <small class={protection.replications_error ? 'field-error' : undefined}>
            {t('dashboard.in_error')}: {protection.replications_error}
          </small>
        </article>
      </section>
      {coverage && servers.length > 0 && <ProtectionCard {...coverage} />}
      {servers.length === 0 ? (
        <p>
          <a href="/servers/new" role="button">
            {t('servers.add')}
          </a>{' '}
          {t('dashboard.empty')}
        </p>
      ) : (
        <table>
          <tbody>
            {servers.map((s) => (
              <tr>
                <td>
                  <a href={`/servers/${s.id}`}>{s.name}</a>
                </td>
                <td>{s.full_name ?? s.hostname}</td>
                <td>
                  <Badge
                    tone={
                      s.connection_status === 'connected'
                        ? 'ok'
                        : s.connection_status === 'error'
                          ? 'error'
                          : 'muted'
                    }
                  >
                    {t(`servers.status.${s.connection_status}`)}
                  </Badge>
                </td>
                <td>
                  {s.vm_count} {t('servers.vm_count')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ReportLinks />
    </Layout>
  );
}
