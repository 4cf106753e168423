/**
 * @module metrics/backups: the seed's "Backups" family, from the `vm_backup` jobs (one job per backup of a
 * VM; its status is the backup's): totals by status and the success rate, plus the end of the last
 * completed backup of each VM of the inventory (`esxi_vm_last_backup_timestamp_seconds{server,vm}`).
 * Two aggregate queries per scrape. The seed's `_total` names are gauges here (row counts, which drop when
 * old jobs are deleted): known exceptions to promtool's naming rules.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1 (Backups)
 */
import type { Db } from '../db/client.js';
import { backupCountsByStatus, lastCompletedBackupByVm } from '../db/metrics-backups.js';
import { type Collector, countsBy, createFamily, percent, sumCounts, unixSeconds } from './collector.js';

/** The backup family's collector. */
export function backupsCollector(): Collector {
  const family = createFamily();
  const total = family.gauge('esxi_backups_total', 'VM backup jobs recorded, whatever their status.');
  const completed = family.gauge('esxi_backups_completed_total', 'VM backup jobs that completed.');
  const failed = family.gauge('esxi_backups_failed_total', 'VM backup jobs that failed.');
  const pending = family.gauge('esxi_backups_pending_total', 'VM backup jobs waiting to run (PENDING).');
  const running = family.gauge('esxi_backups_running_total', 'VM backup jobs running now (IN_PROGRESS).');
  const successRate = family.gauge(
    'esxi_backups_success_rate',
    'Completed VM backup jobs in percent (0-100) of all VM backup jobs; 0 while there is none.',
  );
  const lastBackup = family.gauge(
    'esxi_vm_last_backup_timestamp_seconds',
    'Unix time in seconds at which the last completed backup of the VM ended; only VMs of the inventory that have one.',
    ['server', 'vm'],
  );

  return {
    name: 'backups',
    metrics: family.metrics,
    async update(db: Db) {
      const [byStatus, lastByVm] = await Promise.all([backupCountsByStatus(db), lastCompletedBackupByVm(db)]);
      const counts = countsBy(byStatus, 'status');
      const all = sumCounts(byStatus);
      total.set(all);
      completed.set(counts.get('COMPLETED') ?? 0);
      failed.set(counts.get('FAILED') ?? 0);
      pending.set(counts.get('PENDING') ?? 0);
      running.set(counts.get('IN_PROGRESS') ?? 0);
      successRate.set(percent(counts.get('COMPLETED') ?? 0, all));
      lastBackup.reset();
      for (const row of lastByVm) {
        if (row.at) lastBackup.set({ server: row.server, vm: row.vm }, unixSeconds(row.at));
      }
    },
  };
}
