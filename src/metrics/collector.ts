/**
 * @module metrics/collector: what a family of database-derived metrics provides to the scrape (one file per
 * family: backups, replications, verifications, datastores, infrastructure, jobs), and the small helpers the
 * families share. A family's metrics are created unregistered (never on prom-client's global registry); the
 * scrape attaches them to the app's own registry while their last update succeeded. A family's queries live
 * in src/db/metrics-<family>.ts; the files here only turn their rows into gauges.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1 (metric categories)
 */
import { Gauge, type Metric } from 'prom-client';
import type { Db } from '../db/client.js';

/** One metric of a family, with its name (prom-client does not expose it on the object's type). */
export type NamedMetric = readonly [name: string, metric: Metric];

/** A family of metrics computed at scrape time from the database with a few aggregate queries. */
export interface Collector {
  /** Short family name: the `collector` label of `esxi_scrape_collector_success`. */
  readonly name: string;
  /** The family's metrics, created with `registers: []`. */
  readonly metrics: readonly NamedMetric[];
  /**
   * Reads the database and sets the family's metrics. Values are set synchronously once every query of
   * the family has settled, so that a concurrent render never sees half a family.
   */
  update(db: Db): Promise<void>;
}

/** Creates a family's gauges, unregistered, and lists them for {@link Collector.metrics}. */
export function createFamily() {
  const metrics: NamedMetric[] = [];
  return {
    metrics,
    /**
     * A gauge of this family.
     * @param labelNames bounded label names only (values come from the inventory or fixed sets).
     */
    gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
      const gauge = new Gauge<L>({ name, help, labelNames, registers: [] });
      metrics.push([name, gauge]);
      return gauge;
    },
  };
}

/**
 * `part` in percent (0-100) of `whole`, rounded to 2 decimals like the seed's example (38 of 42 → 90.48);
 * 0 when `whole` is 0.
 */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0;
}

/** Sums grouped counts by one key: `[{ status: 'a', n: 2 }, ...]` → `Map { 'a' => 2 }`. */
export function countsBy<K extends string, R extends { n: number } & Record<K, unknown>>(
  rows: readonly R[],
  key: K,
): Map<R[K], number> {
  const counts = new Map<R[K], number>();
  for (const row of rows) counts.set(row[key], (counts.get(row[key]) ?? 0) + Number(row.n));
  return counts;
}

/** Total of grouped counts. */
export function sumCounts(rows: readonly { n: number }[]): number {
  return rows.reduce((sum, row) => sum + Number(row.n), 0);
}

/** A database timestamp as Unix time in seconds (Prometheus' convention for `_timestamp_seconds`). */
export function unixSeconds(at: Date | string | null | undefined): number {
  if (!at) return 0;
  const ms = (at instanceof Date ? at : new Date(at)).getTime();
  return Number.isFinite(ms) ? ms / 1000 : 0;
}
