/**
 * @module metrics/infrastructure: the seed's "Infrastructure" family: ESXi servers (all, enabled),
 * snapshots on the inventory's VMs (the length of each present VM's `snapshots` jsonb list, which holds
 * every snapshot of the tree), snapshot schedules (no such feature exists yet: always 0) and storage paths
 * (all, enabled). Three small aggregate queries per scrape.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1 (Infrastructure)
 */
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { esxi_servers, storage_paths, virtual_machines } from '../db/schema.js';
import { type Collector, createFamily } from './collector.js';

/** The infrastructure family's collector. */
export function infrastructureCollector(): Collector {
  const family = createFamily();
  const servers = family.gauge('esxi_servers_total', 'ESXi servers registered.');
  const serversActive = family.gauge('esxi_servers_active', 'ESXi servers registered and enabled.');
  const snapshots = family.gauge(
    'esxi_snapshots_total',
    'Snapshots on the VMs of the inventory (last sync).',
  );
  const schedules = family.gauge(
    'esxi_snapshot_schedules_active',
    'Enabled snapshot schedules (the feature does not exist yet: always 0).',
  );
  const paths = family.gauge('esxi_storage_paths_total', 'Storage paths (backup destinations) defined.');
  const pathsActive = family.gauge(
    'esxi_storage_paths_active',
    'Storage paths (backup destinations) enabled.',
  );

  return {
    name: 'infrastructure',
    metrics: family.metrics,
    async update(db: Db) {
      const enabled = (column: typeof esxi_servers.is_active | typeof storage_paths.is_active) =>
        sql<number>`count(*) filter (where ${column})`.mapWith(Number);
      const [[server], [vm], [path]] = await Promise.all([
        db.select({ n: count(), active: enabled(esxi_servers.is_active) }).from(esxi_servers),
        db
          .select({
            snapshots:
              sql<number>`coalesce(sum(jsonb_array_length(${virtual_machines.snapshots})), 0)`.mapWith(
                Number,
              ),
          })
          .from(virtual_machines)
          .where(eq(virtual_machines.is_present, true)),
        db.select({ n: count(), active: enabled(storage_paths.is_active) }).from(storage_paths),
      ]);
      servers.set(server?.n ?? 0);
      serversActive.set(server?.active ?? 0);
      snapshots.set(vm?.snapshots ?? 0);
      schedules.set(0);
      paths.set(path?.n ?? 0);
      pathsActive.set(path?.active ?? 0);
    },
  };
}
