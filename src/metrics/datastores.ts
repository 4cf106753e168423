/**
 * @module metrics/datastores: the seed's "Datastores (avec labels)" family, from the inventory's
 * `datastores`: use in percent, capacity and free space in GiB (the seed's `_gb` names, 1 GiB = 2^30
 * bytes) and, following Prometheus' base-unit convention, the same two in bytes. Labels: `server` (the
 * ESXi server's name) and `datastore` (its name): both come from the inventory, whose size bounds them,
 * never from a request; `server` is needed because datastore names repeat across hosts (`datastore1`).
 * One query per scrape.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1 (Datastores)
 */
import type { Db } from '../db/client.js';
import { datastoreSpace } from '../db/metrics-datastores.js';
import { type Collector, createFamily } from './collector.js';

const GIB = 1024 ** 3;
const LABELS = ['server', 'datastore'] as const;

/** Rounds to 2 decimals (GiB and percent values). */
const round2 = (value: number) => Math.round(value * 100) / 100;

/** The datastore family's collector. */
export function datastoresCollector(): Collector {
  const family = createFamily();
  const usedPercent = family.gauge(
    'esxi_datastore_used_percent',
    'Used space of the datastore in percent (0-100) of its capacity.',
    LABELS,
  );
  const capacityGb = family.gauge('esxi_datastore_capacity_gb', 'Capacity of the datastore in GiB.', LABELS);
  const freeGb = family.gauge('esxi_datastore_free_gb', 'Free space of the datastore in GiB.', LABELS);
  const capacityBytes = family.gauge(
    'esxi_datastore_capacity_bytes',
    'Capacity of the datastore in bytes.',
    LABELS,
  );
  const freeBytes = family.gauge(
    'esxi_datastore_free_bytes',
    'Free space of the datastore in bytes.',
    LABELS,
  );

  return {
    name: 'datastores',
    metrics: family.metrics,
    async update(db: Db) {
      const rows = await datastoreSpace(db);
      for (const gauge of [usedPercent, capacityGb, freeGb, capacityBytes, freeBytes]) gauge.reset();
      for (const row of rows) {
        const labels = { server: row.server, datastore: row.datastore };
        const capacity = Number(row.capacity);
        const free = Math.min(Number(row.free), capacity);
        usedPercent.set(labels, capacity > 0 ? round2(((capacity - free) / capacity) * 100) : 0);
        capacityGb.set(labels, round2(capacity / GIB));
        freeGb.set(labels, round2(free / GIB));
        capacityBytes.set(labels, capacity);
        freeBytes.set(labels, free);
      }
    },
  };
}
