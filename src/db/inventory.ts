/**
 * @module db/inventory: VirtualMachine and Datastore rows, replaced from a host's inventory in one
 * transaction. VMs that left the host are kept with `is_present = false` (their backups keep an owner).
 */
import { and, asc, count, eq, ilike, notInArray, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { type ListWindow, listIn } from './list-window.js';
import { datastores, esxi_servers, virtual_machines } from './schema.js';

export type VirtualMachineRow = typeof virtual_machines.$inferSelect;
export type DatastoreRow = typeof datastores.$inferSelect;
export type VirtualMachineInput = Omit<
  typeof virtual_machines.$inferInsert,
  'id' | 'esxi_server_id' | 'updated_at'
>;
export type DatastoreInput = Omit<typeof datastores.$inferInsert, 'id' | 'esxi_server_id' | 'updated_at'>;

/** Upserts a host's VMs and datastores (keyed by MoRef) and marks the missing ones. */
export async function replaceInventory(
  db: Db,
  serverId: number,
  inventory: { vms: VirtualMachineInput[]; datastores: DatastoreInput[] },
): Promise<void> {
  const now = new Date();
  await db.transaction(async (tx) => {
    if (inventory.datastores.length) {
      await tx
        .insert(datastores)
        .values(inventory.datastores.map((d) => ({ ...d, esxi_server_id: serverId, updated_at: now })))
        .onConflictDoUpdate({
          target: [datastores.esxi_server_id, datastores.moref],
          set: excluded(['name', 'type', 'url', 'capacity_bytes', 'free_bytes', 'accessible', 'updated_at']),
        });
    }
    const dsMorefs = inventory.datastores.map((d) => d.moref);
    await tx
      .delete(datastores)
      .where(
        and(
          eq(datastores.esxi_server_id, serverId),
          dsMorefs.length ? notInArray(datastores.moref, dsMorefs) : undefined,
        ),
      );
    if (inventory.vms.length) {
      await tx
        .insert(virtual_machines)
        .values(
          inventory.vms.map((v) => ({ ...v, esxi_server_id: serverId, is_present: true, updated_at: now })),
        )
        .onConflictDoUpdate({
          target: [virtual_machines.esxi_server_id, virtual_machines.moref],
          set: excluded([
            'name',
            'power_state',
            'guest_os',
            'guest_id',
            'num_cpu',
            'memory_mb',
            'uuid',
            'instance_uuid',
            'vmx_path',
            'change_tracking_enabled',
            'datastore',
            'tools_status',
            'ip_address',
            'disks',
            'files',
            'snapshots',
            'is_present',
            'updated_at',
          ]),
        });
    }
    const vmMorefs = inventory.vms.map((v) => v.moref);
    await tx
      .update(virtual_machines)
      .set({ is_present: false, updated_at: now })
      .where(
        and(
          eq(virtual_machines.esxi_server_id, serverId),
          vmMorefs.length ? notInArray(virtual_machines.moref, vmMorefs) : undefined,
        ),
      );
  });
}

/** `set` clause taking each column from the row that was proposed for insertion. */
function excluded(columns: string[]) {
  return Object.fromEntries(columns.map((c) => [c, sql.raw(`excluded.${c}`)]));
}

export interface VmFilter {
  esxi_server?: number;
  power_state?: string;
  search?: string;
}

/** VMs present on their host, with their server's name, filtered and sorted by name. */
export async function listVirtualMachines(db: Db, filter: VmFilter = {}, window?: ListWindow) {
  return listIn(db, () => vmList(db, filter), window);
}

function vmList(db: Db, filter: VmFilter) {
  return db
    .select({ vm: virtual_machines, server_name: esxi_servers.name })
    .from(virtual_machines)
    .innerJoin(esxi_servers, eq(esxi_servers.id, virtual_machines.esxi_server_id))
    .where(
      and(
        eq(virtual_machines.is_present, true),
        filter.esxi_server ? eq(virtual_machines.esxi_server_id, filter.esxi_server) : undefined,
        filter.power_state ? eq(virtual_machines.power_state, filter.power_state) : undefined,
        filter.search ? ilike(virtual_machines.name, `%${escapeLike(filter.search)}%`) : undefined,
      ),
    )
    .orderBy(asc(virtual_machines.name), asc(virtual_machines.id))
    .$dynamic();
}

export async function getVirtualMachine(db: Db, id: number) {
  const [row] = await db
    .select({ vm: virtual_machines, server_name: esxi_servers.name })
    .from(virtual_machines)
    .innerJoin(esxi_servers, eq(esxi_servers.id, virtual_machines.esxi_server_id))
    .where(eq(virtual_machines.id, id));
  return row ?? null;
}

/** Records the VM's change tracking flag as its host reports it (between two inventory syncs). */
export async function setChangeTrackingFlag(db: Db, id: number, enabled: boolean): Promise<void> {
  await db
    .update(virtual_machines)
    .set({ change_tracking_enabled: enabled, updated_at: new Date() })
    .where(eq(virtual_machines.id, id));
}

/** Datastores with their server's name, optionally of one server. */
export async function listDatastores(db: Db, serverId?: number) {
  return db
    .select({ datastore: datastores, server_name: esxi_servers.name })
    .from(datastores)
    .innerJoin(esxi_servers, eq(esxi_servers.id, datastores.esxi_server_id))
    .where(serverId ? eq(datastores.esxi_server_id, serverId) : undefined)
    .orderBy(asc(esxi_servers.name), asc(datastores.name));
}

/** Counts for the dashboard. */
export async function inventoryCounts(db: Db) {
  const [vms] = await db
    .select({
      total: count(),
      powered_on: sql<number>`count(*) filter (where ${virtual_machines.power_state} = 'poweredOn')::int`,
    })
    .from(virtual_machines)
    .where(eq(virtual_machines.is_present, true));
  const [ds] = await db.select({ total: count() }).from(datastores);
  return { vms: vms?.total ?? 0, powered_on: vms?.powered_on ?? 0, datastores: ds?.total ?? 0 };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}
