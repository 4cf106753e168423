/**
 * @module views/settings: the effective settings, read-only (they come from the environment, see the README);
 * secrets are never shown, only whether they are set.
 */
import type { Config } from '../src/config.js';
import { Layout } from './layout.js';
import { usePage } from './page-context.js';

export interface SettingsView {
  config: Config;
  database: { kind: 'postgres' | 'pglite'; location: string };
  version: string;
}

export function SettingsPage({ config: c, database, version }: SettingsView) {
  const { t } = usePage();
  const rows: Array<[string, string | number]> = [
    ['Version', version],
    [
      t('settings.database'),
      `${database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL'} · ${database.location}`,
    ],
    ['DATA_DIR', c.dataDir],
    ['BACKUP_DIR', c.backupDir],
    ['BACKUP_RETENTION_COUNT', c.backupRetentionCount],
    ['DB_BACKUP_DIR', c.dbBackupDir],
    ['DB_BACKUP_RETENTION', c.dbBackupRetention],
    ['INVENTORY_SYNC_INTERVAL_SECONDS', c.inventorySyncIntervalSeconds],
    ['VSPHERE_TIMEOUT_SECONDS', c.vsphereTimeoutSeconds],
    ['JOB_CONCURRENCY', c.jobConcurrency],
    ['JOB_CONCURRENCY_PER_HOST', c.jobConcurrencyPerHost],
    ['JOB_HEARTBEAT_SECONDS / JOB_LEASE_SECONDS', `${c.jobHeartbeatSeconds} / ${c.jobLeaseSeconds}`],
    ['FAILOVER_TEST_NETWORK', c.failoverTestNetwork],
    ['FAILOVER_MONITOR_INTERVAL_SECONDS', c.failoverMonitorIntervalSeconds],
    ['VERIFICATION_BOOT_TIMEOUT_SECONDS', c.verificationBootTimeoutSeconds],
    ['VERIFICATION_NO_TOOLS_GRACE_SECONDS', c.verificationNoToolsGraceSeconds],
    ['PUBLIC_URL', c.publicUrl],
    ['NOTIFY_ATTEMPTS / NOTIFY_RETRY_BASE_SECONDS', `${c.notifyAttempts} / ${c.notifyRetryBaseSeconds}`],
    ['REPLICATION_ERROR_NOTIFY_SECONDS', c.replicationErrorNotifySeconds],
    ['LOW_SPACE_PERCENT', c.lowSpacePercent],
    ['METRICS_TOKEN', c.metricsToken ? t('settings.set') : t('settings.not_set')],
    ['SECURE_COOKIES', c.secureCookies ? t('common.yes') : t('common.no')],
    ['LOG_LEVEL', c.logLevel],
  ];
  return (
    <Layout title={t('nav.settings')}>
      <p class="muted">{t('settings.intro')}</p>
      <table data-testid="settings-table">
        <tbody>
          {rows.map(([name, value]) => (
            <tr>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td>{String(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
