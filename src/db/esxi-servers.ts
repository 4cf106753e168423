/** @module db/esxi-servers: ESXiServer rows. The sealed password never leaves this module but to connect. */
import { asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { esxi_servers } from './schema.js';

export type EsxiServerRow = typeof esxi_servers.$inferSelect;
export type EsxiServerInsert = typeof esxi_servers.$inferInsert;

/** The public shape of a server (no credential), as the API and pages show it. */
export type EsxiServer = Omit<EsxiServerRow, 'password_encrypted'> & { vm_count: number };

const publicColumns = {
  id: esxi_servers.id,
  name: esxi_servers.name,
  hostname: esxi_servers.hostname,
  port: esxi_servers.port,
  protocol: esxi_servers.protocol,
  username: esxi_servers.username,
  is_active: esxi_servers.is_active,
  thumbprint: esxi_servers.thumbprint,
  version: esxi_servers.version,
  build: esxi_servers.build,
  full_name: esxi_servers.full_name,
  api_version: esxi_servers.api_version,
  datacenter: esxi_servers.datacenter,
  connection_status: esxi_servers.connection_status,
  last_error: esxi_servers.last_error,
  last_sync_at: esxi_servers.last_sync_at,
  created_at: esxi_servers.created_at,
  updated_at: esxi_servers.updated_at,
  // Columns inside a sql`` subquery render unqualified, so the correlation is spelled out.
  vm_count: sql<number>`(select count(*)::int from virtual_machines vm where vm.esxi_server_id = "esxi_servers"."id" and vm.is_present)`,
};

export async function listServers(db: Db): Promise<EsxiServer[]> {
  return db.select(publicColumns).from(esxi_servers).orderBy(asc(esxi_servers.name));
}

export async function getServer(db: Db, id: number): Promise<EsxiServer | null> {
  const [row] = await db.select(publicColumns).from(esxi_servers).where(eq(esxi_servers.id, id));
  return row ?? null;
}

/** The full row with the sealed password, for connecting. */
export async function getServerRow(db: Db, id: number): Promise<EsxiServerRow | null> {
  const [row] = await db.select().from(esxi_servers).where(eq(esxi_servers.id, id));
  return row ?? null;
}

export async function listActiveServerIds(db: Db): Promise<number[]> {
  const rows = await db
    .select({ id: esxi_servers.id })
    .from(esxi_servers)
    .where(eq(esxi_servers.is_active, true));
  return rows.map((r) => r.id);
}

export async function isServerNameTaken(db: Db, name: string, exceptId?: number): Promise<boolean> {
  const rows = await db.select({ id: esxi_servers.id }).from(esxi_servers).where(eq(esxi_servers.name, name));
  return rows.some((r) => r.id !== exceptId);
}

export async function insertServer(db: Db, values: EsxiServerInsert): Promise<number> {
  const [row] = await db.insert(esxi_servers).values(values).returning({ id: esxi_servers.id });
  return (row as { id: number }).id;
}

export async function updateServer(db: Db, id: number, values: Partial<EsxiServerInsert>): Promise<void> {
  await db
    .update(esxi_servers)
    .set({ ...values, updated_at: new Date() })
    .where(eq(esxi_servers.id, id));
}

/** Deletes a server and, by cascade, its inventory. @returns false when it did not exist. */
export async function deleteServer(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(esxi_servers)
    .where(eq(esxi_servers.id, id))
    .returning({ id: esxi_servers.id });
  return rows.length > 0;
}

export async function countServers(db: Db): Promise<{ total: number; active: number }> {
  const [row] = await db
    .select({ total: count(), active: sql<number>`count(*) filter (where ${esxi_servers.is_active})::int` })
    .from(esxi_servers);
  return { total: row?.total ?? 0, active: row?.active ?? 0 };
}
