/**
 * @module db/metrics-replications: the aggregate queries behind the Prometheus "Réplication" family
 * (src/metrics/replications.ts), read from `vm_replications` and `failover_events`.
 */
import { and, count, eq, ne, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import {
  type FAILOVER_MODES,
  type FAILOVER_STATUSES,
  failover_events,
  type REPLICATION_STATUSES,
  vm_replications,
} from './schema.js';

/** How many replications have one status. */
export interface ReplicationStatusCount {
  status: (typeof REPLICATION_STATUSES)[number];
  n: number;
}

/** How many failover events have one failover type and status. */
export interface FailoverEventCount {
  type: (typeof FAILOVER_MODES)[number];
  status: (typeof FAILOVER_STATUSES)[number];
  n: number;
}

/** The lag of one enabled, unpaused replication. */
export interface ReplicationLag {
  id: number;
  name: string;
  /** Its configured interval between two runs, in minutes. */
  minutes: number;
  /**
   * Seconds (fractional) from the end of its last replication, or from its creation while it never ran, to
   * the database's `now()`; may be negative if a clock runs ahead.
   */
  lag: number;
}

/** Counts the replications by status: one row per status that has at least one. One grouped query. */
export async function replicationCountsByStatus(db: Db): Promise<ReplicationStatusCount[]> {
  return db
    .select({ status: vm_replications.status, n: count() })
    .from(vm_replications)
    .groupBy(vm_replications.status);
}

/**
 * Counts the failover events by failover type and status: one row per pair that has at least one event.
 * One grouped query.
 */
export async function failoverEventCounts(db: Db): Promise<FailoverEventCount[]> {
  return db
    .select({ type: failover_events.failover_type, status: failover_events.status, n: count() })
    .from(failover_events)
    .groupBy(failover_events.failover_type, failover_events.status);
}

/** The lag and interval of every enabled replication that is not paused (the achieved RPO). One query. */
export async function replicationLags(db: Db): Promise<ReplicationLag[]> {
  return db
    .select({
      id: vm_replications.id,
      name: vm_replications.name,
      minutes: vm_replications.replication_interval_minutes,
      lag: sql<number>`extract(epoch from (now() - coalesce(${vm_replications.last_replication_at}, ${vm_replications.created_at})))`.mapWith(
        Number,
      ),
    })
    .from(vm_replications)
    .where(and(eq(vm_replications.is_active, true), ne(vm_replications.status, 'paused')));
}
