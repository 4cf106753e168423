/**
 * @module metrics/replications: the seed's "Réplication" family, from `vm_replications` and
 * `failover_events`: replications by status, failover events (all, completed, failed, and by failover type
 * and status), and per replication its lag, the achieved RPO (`esxi_replication_lag_seconds`: now minus
 * the end of its last replication, or minus its creation while it never ran) beside its interval, so that
 * an alert can compare the two. Only enabled replications that are not paused have a lag and an interval
 * (nothing is expected of the others). Labels: `id` and `replication` (its name), bounded by the table.
 * Three aggregate queries per scrape; empty tables read 0.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1 (Réplication) and section 2 (Surveillance et alertes)
 */
import type { Db } from '../db/client.js';
import {
  failoverEventCounts,
  replicationCountsByStatus,
  replicationLags,
} from '../db/metrics-replications.js';
import { FAILOVER_MODES, FAILOVER_STATUSES } from '../db/schema.js';
import { type Collector, countsBy, createFamily, sumCounts } from './collector.js';

/** The replication and failover family's collector. */
export function replicationsCollector(): Collector {
  const family = createFamily();
  const total = family.gauge('esxi_replications_total', 'VM replications defined, whatever their status.');
  const active = family.gauge('esxi_replications_active', 'VM replications in status active.');
  const paused = family.gauge('esxi_replications_paused', 'VM replications in status paused.');
  const error = family.gauge('esxi_replications_error', 'VM replications in status error.');
  const syncing = family.gauge(
    'esxi_replications_syncing',
    'VM replications synchronising now (status syncing).',
  );
  const failovers = family.gauge(
    'esxi_failover_events_total',
    'Failover events recorded, whatever their status.',
  );
  const failoversCompleted = family.gauge(
    'esxi_failover_events_completed',
    'Failover events that completed.',
  );
  const failoversFailed = family.gauge('esxi_failover_events_failed', 'Failover events that failed.');
  const failoversByType = family.gauge(
    'esxi_failover_events_by_type',
    'Failover events by failover type (manual, automatic, test) and status.',
    ['failover_type', 'status'],
  );
  const lag = family.gauge(
    'esxi_replication_lag_seconds',
    'Seconds since the last replication of an enabled, unpaused replication ended (since its creation while it never ran): the achieved RPO.',
    ['id', 'replication'],
  );
  const interval = family.gauge(
    'esxi_replication_interval_seconds',
    'Configured interval in seconds between two runs of an enabled, unpaused replication.',
    ['id', 'replication'],
  );

  return {
    name: 'replications',
    metrics: family.metrics,
    async update(db: Db) {
      const [byStatus, events, lags] = await Promise.all([
        replicationCountsByStatus(db),
        failoverEventCounts(db),
        replicationLags(db),
      ]);
      const counts = countsBy(byStatus, 'status');
      total.set(sumCounts(byStatus));
      active.set(counts.get('active') ?? 0);
      paused.set(counts.get('paused') ?? 0);
      error.set(counts.get('error') ?? 0);
      syncing.set(counts.get('syncing') ?? 0);

      const eventCounts = countsBy(events, 'status');
      failovers.set(sumCounts(events));
      failoversCompleted.set(eventCounts.get('completed') ?? 0);
      failoversFailed.set(eventCounts.get('failed') ?? 0);
      failoversByType.reset();
      for (const type of FAILOVER_MODES) {
        for (const status of FAILOVER_STATUSES) failoversByType.set({ failover_type: type, status }, 0);
      }
      for (const row of events)
        failoversByType.set({ failover_type: row.type, status: row.status }, Number(row.n));

      lag.reset();
      interval.reset();
      for (const row of lags) {
        const labels = { id: String(row.id), replication: row.name };
        lag.set(labels, Math.max(0, row.lag));
        interval.set(labels, row.minutes * 60);
      }
    },
  };
}
