/**
 * @module metrics/verifications: the seed's "SureBackup" family, from `backup_verifications`: totals by
 * status, the success rate, and the counts by test type and status (`esxi_verifications_by_type`, the
 * seed's "number of verifications per type"). One aggregate query per scrape; an empty table (feature not
 * used yet) reads 0 everywhere.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1 (SureBackup) and section 3 (Métriques Grafana)
 */
import type { Db } from '../db/client.js';
import { verificationCountsByTypeAndStatus } from '../db/metrics-verifications.js';
import { TEST_TYPES, VERIFICATION_STATUSES } from '../db/schema.js';
import { type Collector, countsBy, createFamily, percent, sumCounts } from './collector.js';

/** The SureBackup family's collector. */
export function verificationsCollector(): Collector {
  const family = createFamily();
  const total = family.gauge(
    'esxi_verifications_total',
    'Backup verifications recorded, whatever their status.',
  );
  const passed = family.gauge('esxi_verifications_passed', 'Backup verifications that passed.');
  const failed = family.gauge('esxi_verifications_failed', 'Backup verifications that failed.');
  const pending = family.gauge('esxi_verifications_pending', 'Backup verifications waiting to run.');
  const running = family.gauge('esxi_verifications_running', 'Backup verifications running now.');
  const successRate = family.gauge(
    'esxi_verifications_success_rate',
    'Passed backup verifications in percent (0-100) of all backup verifications; 0 while there is none.',
  );
  const byType = family.gauge('esxi_verifications_by_type', 'Backup verifications by test type and status.', [
    'test_type',
    'status',
  ]);

  return {
    name: 'verifications',
    metrics: family.metrics,
    async update(db: Db) {
      const rows = await verificationCountsByTypeAndStatus(db);
      const counts = countsBy(rows, 'status');
      const all = sumCounts(rows);
      total.set(all);
      passed.set(counts.get('passed') ?? 0);
      failed.set(counts.get('failed') ?? 0);
      pending.set(counts.get('pending') ?? 0);
      running.set(counts.get('running') ?? 0);
      successRate.set(percent(counts.get('passed') ?? 0, all));
      byType.reset();
      for (const testType of TEST_TYPES) {
        for (const status of VERIFICATION_STATUSES) byType.set({ test_type: testType, status }, 0);
      }
      for (const row of rows) byType.set({ test_type: row.test_type, status: row.status }, Number(row.n));
    },
  };
}
