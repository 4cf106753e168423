/**
 * @module metrics/ovf-exports: the OVF exports and OVF imports families, from the `ovf_export` and
 * `ovf_import` jobs (one job per export or import; its status is theirs), by status like the backups family
 * (metrics/backups.ts). One grouped query per family and scrape; `esxi_ovf_exports_total` and
 * `esxi_ovf_imports_total` are gauges (row counts), as the seed's `_total` names there.
 */
import type { Db } from '../db/client.js';
import { ovfJobCountsByStatus } from '../db/metrics-ovf-exports.js';
import { type Collector, countsBy, createFamily, sumCounts } from './collector.js';

/** A family `esxi_<plural>_{total,completed,failed,cancelled,pending,running}` over one job type. */
function ovfJobsCollector(type: 'ovf_export' | 'ovf_import', plural: string, what: string): Collector {
  const family = createFamily();
  const total = family.gauge(`esxi_${plural}_total`, `${what} jobs recorded, whatever their status.`);
  const completed = family.gauge(`esxi_${plural}_completed`, `${what} jobs that completed.`);
  const failed = family.gauge(`esxi_${plural}_failed`, `${what} jobs that failed.`);
  const cancelled = family.gauge(`esxi_${plural}_cancelled`, `${what} jobs that were cancelled.`);
  const pending = family.gauge(`esxi_${plural}_pending`, `${what} jobs waiting to run (PENDING).`);
  const running = family.gauge(`esxi_${plural}_running`, `${what} jobs running now (IN_PROGRESS).`);
  return {
    name: plural,
    metrics: family.metrics,
    async update(db: Db) {
      const byStatus = await ovfJobCountsByStatus(db, type);
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

/** The OVF exports family's collector. */
export const ovfExportsCollector = (): Collector =>
  ovfJobsCollector('ovf_export', 'ovf_exports', 'OVF export');

/** The OVF imports family's collector. */
export const ovfImportsCollector = (): Collector =>
  ovfJobsCollector('ovf_import', 'ovf_imports', 'OVF import');
