/**
 * @module db/metrics-infrastructure: the small aggregate queries behind the Prometheus "Infrastructure"
 * family (src/metrics/infrastructure.ts): ESXi servers, snapshots on the inventory's VMs, storage paths.
 */
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { esxi_servers, storage_paths, virtual_machines } from './schema.js';

/** How many rows a table holds, and how many of them are enabled (`is_active`). */
export interface EnabledCount {
  n: number;
  active: number;
}

/** `count(*) filter (where <column>)`, as a number. */
const enabled = (column: typeof esxi_servers.is_active | typeof storage_paths.is_active) =>
  sql<number>`count(*) filter (where ${column})`.mapWith(Number);

/** The ESXi servers registered (`n`) and enabled (`active`). One aggregate query. */
export async function esxiServerCounts(db: Db): Promise<EnabledCount> {
  const [row] = await db.select({ n: count(), active: enabled(esxi_servers.is_active) }).from(esxi_servers);
  return row ?? { n: 0, active: 0 };
}

/**
 * The number of snapshots on the VMs present in the inventory (last sync): the sum of the lengths of their
 * `snapshots` jsonb lists, which hold every snapshot of the tree; 0 without VMs. One aggregate query.
 */
export async function inventorySnapshotCount(db: Db): Promise<number> {
  const [row] = await db
    .select({
      snapshots: sql<number>`coalesce(sum(jsonb_array_length(${virtual_machines.snapshots})), 0)`.mapWith(
        Number,
      ),
    })
    .from(virtual_machines)
    .where(eq(virtual_machines.is_present, true));
  return row?.snapshots ?? 0;
}

/** The storage paths (backup destinations) defined (`n`) and enabled (`active`). One aggregate query. */
export async function storagePathCounts(db: Db): Promise<EnabledCount> {
  const [row] = await db.select({ n: count(), active: enabled(storage_paths.is_active) }).from(storage_paths);
  return row ?? { n: 0, active: 0 };
}
