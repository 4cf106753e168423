/**
 * @module metrics/infrastructure: the seed's "Infrastructure" family: ESXi servers (all, enabled),
 * snapshots on the inventory's VMs (the length of each present VM's `snapshots` jsonb list, which holds
 * every snapshot of the tree as the inventory sync or the app's last snapshot operation read it), active
 * snapshot schedules and storage paths (all, enabled). Four small aggregate queries per scrape.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 1 (Infrastructure)
 */
import type { Db } from '../db/client.js';
import { esxiServerCounts, inventorySnapshotCount, storagePathCounts } from '../db/metrics-infrastructure.js';
import { activeSnapshotScheduleCount } from '../db/snapshot-schedules.js';
import { type Collector, createFamily } from './collector.js';

/** The infrastructure family's collector. */
export function infrastructureCollector(): Collector {
  const family = createFamily();
  const servers = family.gauge('esxi_servers_total', 'ESXi servers registered.');
  const serversActive = family.gauge('esxi_servers_active', 'ESXi servers registered and enabled.');
  const snapshots = family.gauge(
    'esxi_snapshots_total',
    "Snapshots on the VMs of the inventory (last sync, or the app's last snapshot operation on the VM).",
  );
  const schedules = family.gauge('esxi_snapshot_schedules_active', 'Active snapshot schedules.');
  const paths = family.gauge('esxi_storage_paths_total', 'Storage paths (backup destinations) defined.');
  const pathsActive = family.gauge(
    'esxi_storage_paths_active',
    'Storage paths (backup destinations) enabled.',
  );

  return {
    name: 'infrastructure',
    metrics: family.metrics,
    async update(db: Db) {
      const [server, snapshotCount, path, scheduleCount] = await Promise.all([
        esxiServerCounts(db),
        inventorySnapshotCount(db),
        storagePathCounts(db),
        activeSnapshotScheduleCount(db),
      ]);
      servers.set(server.n);
      serversActive.set(server.active);
      snapshots.set(snapshotCount);
      schedules.set(scheduleCount);
      paths.set(path.n);
      pathsActive.set(path.active);
    },
  };
}
