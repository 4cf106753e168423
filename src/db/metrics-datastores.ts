/**
 * @module db/metrics-datastores: the query behind the Prometheus "Datastores" family
 * (src/metrics/datastores.ts), read from the inventory's `datastores` (last sync).
 */
import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { datastores, esxi_servers } from './schema.js';

/** The space of one datastore of the inventory. */
export interface DatastoreSpace {
  /** The ESXi server's name (datastore names repeat across hosts). */
  server: string;
  /** The datastore's name. */
  datastore: string;
  /** Capacity in bytes. */
  capacity: number;
  /** Free space in bytes, as the host reported it (not capped at the capacity). */
  free: number;
}

/** Every datastore of the inventory with its server's name, capacity and free space (bytes). One query. */
export async function datastoreSpace(db: Db): Promise<DatastoreSpace[]> {
  return db
    .select({
      server: esxi_servers.name,
      datastore: datastores.name,
      capacity: datastores.capacity_bytes,
      free: datastores.free_bytes,
    })
    .from(datastores)
    .innerJoin(esxi_servers, eq(esxi_servers.id, datastores.esxi_server_id));
}
