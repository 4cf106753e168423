/**
 * @module metrics/ovf-exports: the OVF exports family, from the `ovf_export` jobs (one job per export; its
 * status is the export's), by status like the backups family (metrics/backups.ts), plus the bytes of the
 * complete packages. One grouped query per scrape; `esxi_ovf_exports_total` is a gauge (a row count), as the seed's `_total` names there.
 */
import type { Db } from '../db/client.js';
import { ovfExportCountsByStatus } from '../db/metrics-ovf-exports.js';
import { type Collector, countsBy, createFamily, sumCounts } from './collector.js';

/** The OVF exports family's collector. */
export function ovfExportsCollector(): Collector {
  const family = createFamily();
  const total = family.gauge('esxi_ovf_exports_total', 'OVF export jobs recorded, whatever their status.');
  const completed = family.gauge('esxi_ovf_exports_completed', 'OVF export jobs that completed.');
  const failed = family.gauge('esxi_ovf_exports_failed', 'OVF export jobs that failed.');
  const cancelled = family.gauge('esxi_ovf_exports_cancelled', 'OVF export jobs that were cancelled.');
  const pending = family.gauge('esxi_ovf_exports_pending', 'OVF export jobs waiting to run (PENDING).');
  const running = family.gauge('esxi_ovf_exports_running', 'OVF export jobs running now (IN_PROGRESS).');
  return {
    name: 'ovf_exports',
    metrics: family.metrics,
    async update(db: Db) {
      const byStatus = await ovfExportCountsByStatus(db);
      const counts = countsBy(byStatus, 'status');
      total.set(sumCounts(byStatus));
      completed.set(counts.get('COMPLETED') ?? 0);
      failed.set(counts.get('FAILED') ?? 0);
      cancelled.set(counts.get('CANCELLED') ?? 0);
      pending.set(counts.get('PENDING') ?? 0);
      running.set(counts.get('IN_PROGRESS') ?? 0);
    },
  };
}
