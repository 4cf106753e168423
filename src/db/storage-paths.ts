/** @module db/storage-paths: StoragePath rows (backup destinations). */
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { storage_paths, vm_backups } from './schema.js';

export type StoragePathRow = typeof storage_paths.$inferSelect;
export type StoragePathInsert = typeof storage_paths.$inferInsert;

export async function listStoragePaths(db: Db): Promise<StoragePathRow[]> {
  return db.select().from(storage_paths).orderBy(asc(storage_paths.name));
}

export async function getStoragePath(db: Db, id: number): Promise<StoragePathRow | null> {
  const [row] = await db.select().from(storage_paths).where(eq(storage_paths.id, id));
  return row ?? null;
}

export async function isStoragePathNameTaken(db: Db, name: string, exceptId?: number): Promise<boolean> {
  const rows = await db
    .select({ id: storage_paths.id })
    .from(storage_paths)
    .where(eq(storage_paths.name, name));
  return rows.some((r) => r.id !== exceptId);
}

export async function insertStoragePath(db: Db, values: StoragePathInsert): Promise<StoragePathRow> {
  const [row] = await db.insert(storage_paths).values(values).returning();
  return row as StoragePathRow;
}

export async function updateStoragePath(
  db: Db,
  id: number,
  values: Partial<StoragePathInsert>,
): Promise<StoragePathRow | null> {
  const [row] = await db
    .update(storage_paths)
    .set({ ...values, updated_at: new Date() })
    .where(eq(storage_paths.id, id))
    .returning();
  return row ?? null;
}

/**
 * Registers `dir` as the storage path `default` (description `BACKUP_DIR`). Two processes starting together
 * may both try: the unique name lets one of them win quietly.
 * @returns the created row, or null when `default` exists already.
 */
export async function insertDefaultStoragePath(db: Db, dir: string): Promise<StoragePathRow | null> {
  const [row] = await db
    .insert(storage_paths)
    .values({ name: 'default', path: dir, description: 'BACKUP_DIR' })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export async function deleteStoragePath(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(storage_paths)
    .where(eq(storage_paths.id, id))
    .returning({ id: storage_paths.id });
  return rows.length > 0;
}

/** What a storage path's repository holds, from the database: its restore points' logical bytes. */
export interface RepositoryTotals {
  /** Sum of `logical_bytes` of the path's restore points (format `repository`). */
  logical_bytes: number;
  /** Blob bytes written by restore points finished after the last measure (all of them without one). */
  bytes_written_since: number;
  /** Restore points of the path marked corrupt by the last verify. */
  corrupt: number;
}

/** The totals of each storage path's repository (one aggregate query), by storage path id. */
export async function repositoryTotals(db: Db): Promise<Map<number, RepositoryTotals>> {
  const rows = await db
    .select({
      id: storage_paths.id,
      logical: sql<number>`coalesce(sum(${vm_backups.logical_bytes}), 0)`.mapWith(Number),
      since: sql<number>`coalesce(sum(${vm_backups.bytes_written}) filter (where
        ${storage_paths.repository_measured_at} is null
        or ${vm_backups.created_at} > ${storage_paths.repository_measured_at}), 0)`.mapWith(Number),
      corrupt:
        sql<number>`count(${vm_backups.id}) filter (where ${vm_backups.verification_state} = 'corrupt')`.mapWith(
          Number,
        ),
    })
    .from(storage_paths)
    .leftJoin(
      vm_backups,
      and(
        eq(vm_backups.storage_path_id, storage_paths.id),
        eq(vm_backups.format, 'repository'),
        isNotNull(vm_backups.index_path),
      ),
    )
    .groupBy(storage_paths.id);
  return new Map(
    rows.map((r) => [r.id, { logical_bytes: r.logical, bytes_written_since: r.since, corrupt: r.corrupt }]),
  );
}

/** Records what a walk of the repository's chunk files found (after a GC or a verify). */
export async function setRepositoryMeasure(
  db: Db,
  id: number,
  measure: { chunk_count: number; chunk_bytes: number; at: Date },
  extra: { last_gc_at?: Date; last_verified_at?: Date } = {},
): Promise<void> {
  await db
    .update(storage_paths)
    .set({
      chunk_count: measure.chunk_count,
      chunk_bytes: measure.chunk_bytes,
      repository_measured_at: measure.at,
      ...extra,
    })
    .where(eq(storage_paths.id, id));
}
